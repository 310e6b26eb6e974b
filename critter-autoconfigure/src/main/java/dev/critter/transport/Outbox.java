package dev.critter.transport;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.critter.Envelope;

/**
 * Durable storage for the messages a Spring transaction publishes to destinations that are not
 * {@link DurableEndpoint}s (SPEC §5, the transactional outbox): the runtime hands it a committing
 * transaction's envelopes, sends them itself once the transaction committed, and tells it which
 * ones their destination holds safely (a broker's confirm, not a publisher's buffer). What is left behind (a crash, a destination that refused) the
 * outbox sends later through the {@link Sender} the runtime gives it. The runtime knows only this
 * interface, never how or where the envelopes are kept.
 */
public interface Outbox {

    /**
     * Stores envelopes in the calling thread's transaction, which is about to commit (called from
     * its {@code beforeCommit}): they commit with it, or vanish with its rollback.
     * @param outgoing one entry per envelope and destination, in publish order; empty when every
     *                 copy goes to a {@link DurableEndpoint}, which the runtime asks only if the
     *                 transaction covers this outbox's database (the same one)
     * @return {@code false} when the transaction does not cover this outbox's database (another
     *         transaction manager's): nothing was stored and the caller keeps the envelopes in memory
     * @throws RuntimeException when they could not be stored: the transaction must roll back
     */
    boolean storeInTransaction(List<Outgoing> outgoing);

    /**
     * The transaction committed and the destinations hold these envelopes safely (accepted, and
     * confirmed where the destination confirms: {@link Endpoint#sendConfirmed}): their stored copies may go.
     * @param outgoing entries stored by {@link #storeInTransaction}
     */
    void accepted(List<Outgoing> outgoing);

    /**
     * The transaction committed but the destination refused the envelope, never confirmed it, or it was never tried:
     * the stored copy stays, for the outbox to send later.
     * @param outgoing an entry stored by {@link #storeInTransaction}
     * @param reason why it was not accepted
     */
    void leftBehind(Outgoing outgoing, RuntimeException reason);

    /**
     * The transaction rolled back: nothing was stored after all.
     * @param outgoing entries passed to {@link #storeInTransaction}
     */
    void discarded(List<Outgoing> outgoing);

    /**
     * Starts sending what was left behind: to the destinations this application has, through the
     * runtime. Called once the transports started.
     * @param destinations the destinations this application can send to
     * @param sender hands one envelope to its destination
     */
    void relayTo(Set<Destination> destinations, Sender sender);

    /** Stops sending what was left behind; called before the transports stop. */
    void stopRelay();

    /** How the outbox sends an envelope it kept: through the runtime, to one destination. */
    @FunctionalInterface
    interface Sender {

        /**
         * Sends an envelope to a destination (or schedules it, when it is not due yet).
         * @param envelope the envelope, as it was stored
         * @param destination one of the destinations passed to {@link #relayTo}
         * @return completes once the destination holds the envelope safely (a broker's publisher
         *         confirm; see {@link Endpoint#sendConfirmed}), or exceptionally when it never
         *         will: only then may the stored copy go
         * @throws RuntimeException when the destination did not accept it
         */
        CompletableFuture<Void> send(Envelope envelope, Destination destination);
    }

    /**
     * One envelope for one destination.
     * @param envelope the envelope
     * @param destination where it goes
     */
    record Outgoing(Envelope envelope, Destination destination) {

        /**
         * Checks the parts.
         * @param envelope the envelope
         * @param destination where it goes
         */
        public Outgoing {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(destination, "destination");
        }
    }
}
