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
}
