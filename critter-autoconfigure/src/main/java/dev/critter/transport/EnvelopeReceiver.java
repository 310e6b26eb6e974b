package dev.critter.transport;

import dev.critter.Envelope;

/**
 * The pipeline's entry for transports: called with each delivered envelope, on the transport's
 * worker thread. It handles retries, dead letters and cascades itself and does not throw.
 */
@FunctionalInterface
public interface EnvelopeReceiver {

    /**
     * Handles one envelope on the calling thread.
     * @param envelope the delivered envelope
     * @param from the endpoint it was delivered from (where a requeue sends it back)
     */
    void receive(Envelope envelope, Endpoint from);

    /**
     * Handles one envelope like {@link #receive} and tells how it was settled, for endpoints that
     * keep a copy until then (a durable local queue deletes its row, or keeps it). A receiver that
     * does not tell reports every envelope it returned from as {@link Receipt#HANDLED}.
     * @param envelope the delivered envelope
     * @param from the endpoint it was delivered from
     * @return how it was settled
     */
    default Receipt deliver(Envelope envelope, Endpoint from) {
        receive(envelope, from);
        return Receipt.HANDLED;
    }
}
