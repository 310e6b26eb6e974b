package dev.critter.transport;

import dev.critter.Envelope;

/** A destination that accepts envelopes: a local queue, a durable local queue, a broker queue or exchange. */
public interface Endpoint {

    /**
     * Returns the endpoint's address, e.g. {@code local://orders}.
     * @return the endpoint's address, e.g. {@code local://orders}
     */
    String address();

    /**
     * Accepts an envelope for delivery.
     * @param envelope the envelope
     * @param fromHandler whether a running handler publishes it (its cascades): such sends must
     *                    never block, or a handler cascading onto its own full queue would deadlock
     * @throws dev.critter.QueueFullException when a bounded endpoint stayed full for the publish timeout
     * @throws IllegalStateException when the endpoint is stopped and no longer accepts messages
     */
    void send(Envelope envelope, boolean fromHandler);
}
