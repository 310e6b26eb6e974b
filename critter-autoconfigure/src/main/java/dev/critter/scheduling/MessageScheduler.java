package dev.critter.scheduling;

import java.time.Duration;

import dev.critter.Envelope;
import dev.critter.transport.Destination;

/**
 * Holds envelopes until their {@link Envelope#scheduledAt() due time}, then hands them to the
 * dispatcher. The in-memory implementation is used without a database; a durable store
 * implements the same contract and replaces it as a bean, without any change to the runtime.
 */
public interface MessageScheduler {

    /**
     * Keeps an envelope until it is due.
     * @param envelope the envelope, with {@code scheduledAt} set
     * @param destination the endpoint to deliver it to when due
     * @throws IllegalStateException when the scheduler cannot take it (full, stopped)
     */
    void schedule(Envelope envelope, Destination destination);

    /**
     * Returns how many envelopes wait for their due time.
     * @return how many envelopes wait for their due time
     */
    int pending();

    /**
     * Starts delivering due envelopes.
     * @param dispatcher called with each due envelope and its destination address
     */
    void start(DueMessageDispatcher dispatcher);

    /**
     * Stops delivering; what is still waiting is reported (in memory) or kept (durable).
     * @param timeout how long to wait for a delivery in progress
     */
    void stop(Duration timeout);

    /** Receives envelopes that became due. */
    @FunctionalInterface
    interface DueMessageDispatcher {

        /**
         * Delivers a due envelope.
         * @param envelope the due envelope
         * @param destination its destination
         */
        void dispatch(Envelope envelope, Destination destination);
    }
}
