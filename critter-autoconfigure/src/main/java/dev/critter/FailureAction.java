package dev.critter;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of an error policy: what happens after a failed attempt.
 * @param kind what to do
 * @param delay the cooldown or schedule delay; {@link Duration#ZERO} when the kind has none
 */
public record FailureAction(Kind kind, Duration delay) {

    /** What an error policy step does. */
    public enum Kind {
        /** Try again at once, on the same worker. */
        RETRY,
        /** Wait the (jittered) cooldown on the same worker, then try again. */
        RETRY_WITH_COOLDOWN,
        /** Release the worker and deliver the message again after the delay. */
        SCHEDULE_RETRY,
        /** Put the message back at the end of its queue. */
        REQUEUE,
        /** Store the message as a dead letter with the exception. */
        DEAD_LETTER,
        /** Drop the message (logged and counted). */
        DISCARD
    }

    /**
     * Checks the parts.
     * @param kind what to do
     * @param delay the cooldown or schedule delay; {@link Duration#ZERO} when the kind has none
     */
    public FailureAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
    }

    /**
     * Returns whether the message will be attempted again after this step.
     * @return whether the message will be attempted again after this step
     */
    public boolean retries() {
        return kind != Kind.DEAD_LETTER && kind != Kind.DISCARD;
    }
}
