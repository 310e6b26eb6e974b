package dev.critter;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter store: messages that exhausted their error policy. Without a database it is a
 * bounded in-memory store ({@code critter.dead-letters.in-memory-capacity}); the oldest entries
 * are evicted first and counted in {@link #evicted()}. With PostgreSQL durability it is the table
 * {@code critter_dead_letters}, kept for {@code critter.durability.dead-letter-retention}: page
 * through it with {@link #query(DeadLetterQuery)}, which filters in the database.
 */
public interface DeadLetters {

    /**
     * Returns the stored dead letters, oldest first. A durable store returns at most the oldest
     * {@value DeadLetterQuery#MAX_LIMIT} (and logs a warning when there are more): use
     * {@link #query(DeadLetterQuery)} to page through a large store.
     * @return the stored dead letters, oldest first
     */
    List<DeadLetter> list();

    /**
     * Lists the dead letters of one message type, oldest first; a durable store returns at most
     * the oldest {@value DeadLetterQuery#MAX_LIMIT}, like {@link #list()}.
     * @param messageType a message type name (class name or alias)
     * @return the stored dead letters of that type, oldest first
     */
    List<DeadLetter> list(String messageType);

    /**
     * Lists one page of the dead letters that pass a query's filters, in
     * {@link DeadLetterQuery#ORDER}. A durable store filters and pages in the database; this
     * default filters {@link #list()}, which suits a store held in memory.
     * @param query the filters, the position to start after and the page size
     * @return the page, with the query for the next page when there are more
     */
    default DeadLetterPage query(DeadLetterQuery query) {
        List<DeadLetter> matches = list().stream().filter(query::matches).sorted(DeadLetterQuery.ORDER)
                .limit(query.limit() + 1L).toList();
        return DeadLetterPage.of(query, matches);
    }

    /**
     * Finds a dead letter.
     * @param id a dead letter id
     * @return the dead letter, if stored
     */
    Optional<DeadLetter> find(UUID id);

    /**
     * Sends the message back to the destination (and handler) where it failed, with a fresh
     * attempt count, and removes it from the store. Runs once however often it is called: a
     * second call (also a concurrent one, also on another node of a durable store) finds nothing
     * and returns {@code false}. When the message cannot be sent back (its destination is gone,
     * its type is not known to this application) the dead letter stays and the error is thrown.
     * @param id a dead letter id
     * @return whether it was found and re-queued
     * @throws RuntimeException why the message could not be sent back; the dead letter is kept
     */
    boolean replay(UUID id);

    /**
     * Removes a dead letter for good.
     * @param id a dead letter id
     * @return whether it was found and removed
     */
    boolean discard(UUID id);

    /**
     * Returns how many dead letters are stored. Cheap enough for a gauge: a durable store answers
     * from a figure it recounts in the background (its own changes count at once, other nodes'
     * within a minute).
     * @return how many dead letters are stored
     */
    long count();

    /**
     * Returns how many were evicted to keep the store bounded (always 0 for a durable store).
     * @return how many were evicted to keep the store bounded (always 0 for a durable store)
     */
    long evicted();
}
