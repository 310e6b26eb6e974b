package dev.critter.runtime;

import org.jspecify.annotations.Nullable;

/**
 * What the runtime wraps around every handler attempt and send besides the observers: Micrometer
 * observations, when the application has an observation registry that records something, and the
 * logging MDC.
 * @param observations creates the observations, or {@code null} when nothing observes (then the
 *                     hot path skips them entirely)
 * @param mdc whether the message id, type, handler and tenant are in the MDC while a handler runs
 */
public record Instrumentation(@Nullable MessageObservations observations, boolean mdc) {

    /** Neither observations nor MDC. */
    public static final Instrumentation NONE = new Instrumentation(null, false);
}
