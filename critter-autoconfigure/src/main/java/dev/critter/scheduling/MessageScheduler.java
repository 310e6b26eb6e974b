package dev.critter.scheduling;

import java.time.Duration;
import java.util.Set;

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
     * Keeps an envelope in the calling thread's active Spring transaction, if this scheduler can:
     * then it exists once that transaction commits and never if it rolls back. The runtime asks
     * this before holding a scheduled message published inside a transaction until the commit.
     * @param envelope the envelope, with {@code scheduledAt} set
     * @param destination the endpoint to deliver it to when due
     * @param afterRollback runs if that transaction rolls back (the runtime tells its observers
     *                      that the message will never be due)
     * @return {@code true} when it is kept in the transaction; {@code false} (the default, and
     *         the in-memory scheduler's answer) when there is no transaction this scheduler can
     *         write in: the runtime then holds the envelope until the commit and calls
     *         {@link #schedule} after it
     */
    default boolean scheduleInTransaction(Envelope envelope, Destination destination, Runnable afterRollback) {
        return false;
    }

    /**
     * Tells whether {@link #scheduleInTransaction} called now, on this thread, would keep the
     * envelope in a transaction; asked first, so nothing is prepared for a store that will not happen.
     * @return whether the calling thread has a transaction this scheduler can write in ({@code false} by default)
     */
    default boolean canScheduleInTransaction() {
        return false;
    }

    /**
     * Tells whether a due envelope that its destination refuses for now (full, stopping) stays
     * with this scheduler to be delivered later. The runtime then hands due deliveries over without
     * waiting for room ({@link dev.critter.transport.Endpoint#offer}: the durable poller shares the
     * node's background threads with its heartbeat) and rethrows a refusal to the scheduler (an
     * {@link dev.critter.transport.EndpointFullException} when full, which says when room appears);
     * otherwise (the default, in memory) due deliveries are admitted like a handler's sends and a
     * refused one is dead-lettered, as nothing else could keep it.
     * @return whether refused due envelopes are kept and delivered again
     */
    default boolean keepsRefusedDeliveries() {
        return false;
    }

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
     * Starts delivering due envelopes to the destinations this application has. A store shared
     * with other applications (a database schema) leaves envelopes for other destinations to
     * them; by default every envelope is delivered, as {@link #start(DueMessageDispatcher)} does.
     * @param dispatcher called with each due envelope and its destination address
     * @param destinations the destinations of this application's endpoints
     */
    default void start(DueMessageDispatcher dispatcher, Set<Destination> destinations) {
        start(dispatcher);
    }

    /**
     * Stops delivering; what is still waiting is reported (in memory) or kept (durable).
     * @param timeout how long to wait for a delivery in progress
     */
    void stop(Duration timeout);

    /** Receives envelopes that became due. */
    @FunctionalInterface
    interface DueMessageDispatcher {

        /**
         * Delivers a due envelope. A destination that no longer exists gets a dead letter.
         * @param envelope the due envelope
         * @param destination its destination
         * @throws RuntimeException only when the scheduler {@linkplain #keepsRefusedDeliveries() keeps
         *         refused deliveries}: the destination refused it for now, and the scheduler keeps it
         */
        void dispatch(Envelope envelope, Destination destination);
    }
}
