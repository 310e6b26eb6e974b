package dev.critter.deadletter;

import java.util.function.Consumer;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;

/** The writing side of a dead-letter store, used by the handling pipeline. */
public interface DeadLetterStore extends DeadLetters {

    /**
     * Stores a dead letter.
     * @param deadLetter a message that exhausted its error policy
     */
    void add(DeadLetter deadLetter);

    /**
     * Sets how dead letters are replayed.
     * @param replayer sends a dead letter's message back to where it failed
     */
    void replayWith(Consumer<DeadLetter> replayer);
}
