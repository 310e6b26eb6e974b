package dev.critter.transport;

import dev.critter.Envelope;

/** A destination that accepts envelopes: a local queue, a durable local queue, a broker queue or exchange. */
public interface Endpoint {

    /**
     * Returns where this endpoint is, e.g. {@code local://orders}.
     * @return where this endpoint is, e.g. {@code local://orders}
     */
    Destination destination();

    /**
     * Returns the text form of {@link #destination()}, as observers and dead letters show it.
     * @return the text form of {@link #destination()}, as observers and dead letters show it
     */
    default String address() {
        return destination().toString();
    }

    /**
     * Waits, as a send from outside a handler would, until this endpoint would accept an
     * envelope, without sending one. Publishing to several endpoints waits on every one first, so
     * a refusal leaves no endpoint with a copy that a retry of the publish would duplicate.
     * @throws dev.critter.QueueFullException when the endpoint stayed full for the publish timeout
     * @throws IllegalStateException when the endpoint is stopped
     */
    default void awaitAccepting() {
    }

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
