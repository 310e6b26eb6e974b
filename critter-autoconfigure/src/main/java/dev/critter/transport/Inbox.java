package dev.critter.transport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The durable store of received envelopes (the inbox) that durable endpoints keep their messages
 * in until they are settled: a row per envelope, destination and chain (the chain the envelope
 * names in {@link EnvelopeHeaders#CHAIN_ID}, or none for a delivery to every chain), owned by the node that holds it
 * in memory or by nobody (then any live node with that destination may claim it). Transports use
 * it without knowing the database; durability implements it (PostgreSQL:
 * {@code critter_incoming_envelopes}, {@code critter_handled_messages},
 * {@code critter_partition_owners}).
 */
public interface Inbox {

    /**
     * One envelope to store for one destination.
     * @param envelope the envelope
     * @param destination the endpoint that receives it
     * @param owned whether this node queues it in memory now (owner = this node); otherwise it is
     *              stored unowned and a claim picks it up
     * @param partitionKey the ordering key as text (partitioned queues), or null
     * @param slot the ordered-queue slot its key hashes to, or null for an unordered message
     */
    record Entry(Envelope envelope, Destination destination, boolean owned, @Nullable String partitionKey,
                 @Nullable Integer slot) {
    }

    /** How a delivery ended, as far as the stored row is concerned. */
    enum Finish {
        /** Handled: the row goes and the id is kept for the handled-retention window (idempotent receive). */
        HANDLED,
        /** Settled without being handled (dead-lettered, discarded): the row goes. */
        FORGET,
        /**
         * Sent on to a scheduled retry: the row goes (unless the retry took it over already) and the
         * id is kept as received, so this envelope arriving again is a duplicate while the retry,
         * which names the chain it is for, is not.
         */
        SENT_ON,
        /** Requeued to the same endpoint: the row stays, with the requeued envelope's attempts, and keeps its chain. */
        REQUEUED
    }

    /**
     * Stores envelopes outside any transaction, grouped with other callers' rows into multi-row
     * statements, and returns once they committed.
     * @param entries the envelopes to store
     * @return the entries stored; an envelope already stored for its destination, or already handled
     *         there within the handled-retention window, is left out (a duplicate)
     */
    List<Entry> store(List<Entry> entries);

    /**
     * What became of a batch stored by {@link #storeBatch}.
     * @param stored the entries stored (duplicates are in neither list)
     * @param refused the entries the database refused on their own while others of the batch were stored
     */
    record BatchResult(List<Entry> stored, List<Refused> refused) {
    }

    /**
     * An entry the database refused on its own (a header PostgreSQL cannot keep, say).
     * @param entry the entry
     * @param reason why
     */
    record Refused(Entry entry, RuntimeException reason) {

        /**
         * Whether the database's passing trouble refused it (unreachable, busy, a lock or
         * serialization conflict), not the entry itself: stored again later, it may well be taken.
         * @return true when the entry is worth storing again
         */
        public boolean passing() {
            return passing(reason);
        }

        /**
         * Whether a failure to store is the database's passing trouble rather than the entry's fault.
         * @param failure the failure
         * @return true when storing again may succeed
         */
        public static boolean passing(RuntimeException failure) {
            return failure instanceof DataAccessResourceFailureException || failure instanceof TransientDataAccessException
                    || failure instanceof CannotCreateTransactionException;
        }
    }

    /**
     * Stores a batch the caller made itself (a durable listener's deliveries) on the calling
     * thread, one multi-row statement and one commit per {@link #batchSize()} rows, not grouped
     * with other callers: handing a ready batch to the group commit would only add a wait. When
     * the statement fails, each entry is written on its own, so one that cannot be written does
     * not hold up the others.
     * @param entries the envelopes to store
     * @return the entries stored and those refused on their own; duplicates are in neither
     * @throws RuntimeException when nothing could be written because the database is unreachable or busy (every
     *         entry refused for its own fault is returned as refused instead)
     */
    default BatchResult storeBatch(List<Entry> entries) {
        return new BatchResult(store(entries), List.of());
    }

    /**
     * Stores an envelope in the calling thread's Spring transaction (written with the other
     * envelopes of that transaction just before it commits); nothing is stored if it rolls back.
     * @param entry the envelope to store
     * @param afterCommit told, after the commit, of the entry if it was stored (not a duplicate)
     * @throws IllegalStateException when no transaction is active
     */
    void storeInTransaction(Entry entry, Consumer<Entry> afterCommit);

    /**
     * Marks an envelope handled by one chain in the calling thread's transaction.
     * @param envelope the envelope
     * @param destination where it was delivered
     * @param chainId the chain about to run it
     * @return {@code false} when a committed transaction already marked it for that chain; {@code true}
     *         without a mark when the transaction does not run on the inbox's database (a mark written
     *         beside it would outlive its rollback): the handler then runs as a non-transactional one
     */
    boolean markHandledInTransaction(Envelope envelope, Destination destination, String chainId);

    /**
     * Records how a delivery ended; written in batches, not waited for.
     * @param envelope the envelope as delivered (for {@link Finish#REQUEUED}: as requeued)
     * @param destination where it was delivered
     * @param rowChain the chain of the row the delivery came from, null for a row for every chain:
     *                 the envelope's own chain, except for a copy requeued for one chain by a
     *                 delivery to every chain, which stays in that delivery's row
     * @param finish what happens to its row
     */
    void finished(Envelope envelope, Destination destination, @Nullable String rowChain, Finish finish);

    /**
     * Claims unowned rows of an unordered destination (and the keyless ones of an ordered one), oldest first.
     * @param destination the destination
     * @param limit the most rows to claim
     * @return the claimed envelopes, oldest first; bodies that do not read come as {@code RawMessage}s
     */
    List<Envelope> claimUnordered(Destination destination, int limit);

    /**
     * Claims the free slots of an ordered destination and returns every slot this node owns.
     * @param destination the destination
     * @param slots how many slots the destination has
     * @return the slots this node owns now
     */
    Set<Integer> claimSlots(Destination destination, int slots);

    /**
     * Claims the waiting rows of slots this node owns, in publish order.
     * @param destination the destination
     * @param slots slots this node owns
     * @param limit the most rows to claim
     * @return the claimed envelopes in publish order (sequence number)
     */
    List<Envelope> claimInOrder(Destination destination, Set<Integer> slots, int limit);

    /**
     * Gives back, at a clean stop, the rows of a destination this node still owns and its slots:
     * after the batched writes of finished deliveries are written.
     * @param destination the destination
     * @return how many rows were released
     */
    default int release(Destination destination) {
        return release(destination, java.util.Set.of());
    }

    /**
     * Gives back, at a clean stop, the rows of a destination this node still owns, but those of
     * messages still being handled here (a handler that outlived the shutdown timeout): they stay
     * owned, and live nodes take them over only once this node's lease expired, so a message is
     * not handled elsewhere while it still runs here. Its slots are given back only when nothing
     * is in flight. Runs after the batched writes of finished deliveries are written.
     * @param destination the destination
     * @param inFlight ids of messages of this destination still being handled
     * @return how many rows were released
     */
    int release(Destination destination, java.util.Set<java.util.UUID> inFlight);

    /**
     * Starts a background poll: every poll interval, when woken, and whenever rows of dead nodes
     * are released.
     * @param name what it does, for the log
     * @param work one poll
     * @return wakes the poll
     */
    Runnable poller(String name, Runnable work);

    /**
     * Returns how long to wait before delivering again an envelope that could not be settled.
     * @return how long to wait before delivering again an envelope that could not be settled
     */
    Duration retryDelay();

    /**
     * Returns the most rows one claim returns.
     * @return the most rows one claim returns
     */
    int batchSize();
}
