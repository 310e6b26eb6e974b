package dev.critter;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter store: messages that exhausted their error policy. Without a database it is a
 * bounded in-memory store ({@code critter.dead-letters.in-memory-capacity}); the oldest entries
 * are evicted first and counted in {@link #evicted()}.
 */
public interface DeadLetters {

    /**
     * Returns every stored dead letter, oldest first.
     * @return every stored dead letter, oldest first
     */
    List<DeadLetter> list();

    /**
     * Lists the dead letters of one message type.
     * @param messageType a message type name (class name or alias)
     * @return the stored dead letters of that type, oldest first
     */
    List<DeadLetter> list(String messageType);

    /**
     * Finds a dead letter.
     * @param id a dead letter id
     * @return the dead letter, if stored
     */
    Optional<DeadLetter> find(UUID id);

    /**
     * Sends the message back to the destination (and handler) where it failed, with a fresh
     * attempt count, and removes it from the store.
     * @param id a dead letter id
     * @return whether it was found and re-queued
     */
    boolean replay(UUID id);

    /**
     * Removes a dead letter for good.
     * @param id a dead letter id
     * @return whether it was found and removed
     */
    boolean discard(UUID id);

    /**
     * Returns how many dead letters are stored.
     * @return how many dead letters are stored
     */
    long count();

    /**
     * Returns how many were evicted to keep the store bounded (always 0 for a durable store).
     * @return how many were evicted to keep the store bounded (always 0 for a durable store)
     */
    long evicted();
}
