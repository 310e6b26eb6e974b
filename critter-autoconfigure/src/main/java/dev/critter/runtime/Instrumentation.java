package dev.critter.runtime;

import org.jspecify.annotations.Nullable;

/**
 * What the runtime wraps around every handler attempt and send besides the observers: Micrometer
 * observations, when the application has an observation registry that records something, and the
 * logging MDC.
 * @param observations creates the observations, or {@code null} when nothing observes (then the
 *                     hot path skips them entirely)
 * @param mdcQueued whether the message id, type, handler and tenant are in the MDC while a handler
 *                  runs on a queue's worker
 * @param mdcInline the same for handlers run inline by {@code invoke}, on the caller's thread
 */
public record Instrumentation(@Nullable MessageObservations observations, boolean mdcQueued, boolean mdcInline) {

    /** Neither observations nor MDC. */
    public static final Instrumentation NONE = new Instrumentation(null, false, false);
}
