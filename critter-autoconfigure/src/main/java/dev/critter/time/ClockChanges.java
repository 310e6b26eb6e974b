package dev.critter.time;

/**
 * Implemented by a {@link java.time.Clock} that can be moved (a test clock): Critter's waits
 * listen, so moving the clock ends the waits that became due at once.
 */
@FunctionalInterface
public interface ClockChanges {

    /**
     * Registers a listener for changes of the clock.
     * @param listener called after each change of the clock's time
     */
    void onChange(Runnable listener);
}
