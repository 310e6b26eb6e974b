package dev.critter.testing;

import dev.critter.Envelope;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened to a tracked message.
 * @param kind what happened
 * @param envelope the message
 * @param detail destination, handler or exception, in words
 * @param failure the exception for failures, else {@code null}
 * @param elapsedMillis milliseconds since the session started
 */
public record TrackedEvent(Kind kind, Envelope envelope, String detail, @Nullable Throwable failure,
                           long elapsedMillis) {

    /** What happened to a message. */
    public enum Kind {
        /** Published or cascaded. */
        PUBLISHED,
        /** Run inline by invoke. */
        INVOKED,
        /** Handed to a destination. */
        SENT,
        /** A destination refused it (e.g. full queue). */
        SEND_FAILED,
        /** Stored until due. */
        SCHEDULED,
        /** Taken by a worker. */
        RECEIVED,
        /** A handler ran it successfully. */
        EXECUTED,
        /** A handler threw. */
        FAILED,
        /** About to be retried. */
        RETRYING,
        /** Published with no route. */
        NO_ROUTES,
        /** Arrived where no handler takes it, or invoked without a handler. */
        NO_HANDLERS,
        /** Expired before handling. */
        EXPIRED,
        /** Moved to the dead letters. */
        DEAD_LETTERED,
        /** Dropped by a discard policy. */
        DISCARDED
    }
}
