package dev.critter.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongFunction;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.handler.MessageTypes;
import dev.critter.time.TimeSource;

import org.jspecify.annotations.Nullable;

/**
 * Wraps outgoing messages in envelopes: new time-ordered id, tenant and correlation inherited
 * from the parent message unless the options say otherwise, causation = the parent's id.
 */
final class EnvelopeFactory {

    private final TimeSource time;
    private final Clock clock;
    private final TimeOrderedUuids ids;
    /** Made once: a method reference per envelope would be an allocation per envelope. */
    private final LongFunction<UUID> idForMillis;
    private final String source;

    EnvelopeFactory(TimeSource time, String source) {
        this.time = time;
        this.clock = time.clock();
        this.ids = new TimeOrderedUuids(clock);
        this.idForMillis = ids::next;
        this.source = source;
    }

    Envelope create(Object message, DeliveryOptions options, @Nullable Envelope parent) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
        // The parent's time first: an inline invoke's is taken now, on first read, so it is not
        // taken after its cascade's.
        Instant parentSentAt = parent != null ? parent.sentAt() : null;
        Instant now;
        if (timed(options)) {
            // A due time or deadline derives from sent-at: read the clock.
            now = clock.instant();
        } else {
            // Sent-at may be a millisecond old (TimeSource.coarseNow: reading the system clock costs as
            // much as a quarter of a publish), older than a parent whose time was read exactly (one
            // with a deadline, an inline invoke): a cascade then reads the clock, so that it is never
            // sent, nor its id sorted, before the message that caused it.
            now = time.coarseNow();
            if (parentSentAt != null && now.isBefore(parentSentAt)) {
                now = clock.instant();
            }
        }
        // The id is made from sent-at when first read: most queued messages never need one.
        return Envelope.published(message, MessageTypes.nameOf(message.getClass()), options, parent, now, source,
                clock, idForMillis);
    }

    /**
     * Like {@link #create}, for a message handled at once on this thread: unless the options
     * schedule or expire it, id and sent-at are taken only when first read.
     */
    Envelope createInline(Object message, DeliveryOptions options, @Nullable Envelope parent) {
        if (timed(options)) {
            return create(message, options, parent);
        }
        Objects.requireNonNull(message, "message");
        return Envelope.published(message, MessageTypes.nameOf(message.getClass()), options, parent, null, source,
                clock, idForMillis);
    }

    /** Whether the options delay, schedule or expire the message: its times then derive from sent-at. */
    private static boolean timed(DeliveryOptions options) {
        return options.delay() != null || options.scheduledAt() != null || options.deliverWithin() != null;
    }

    Instant now() {
        return clock.instant();
    }
}
