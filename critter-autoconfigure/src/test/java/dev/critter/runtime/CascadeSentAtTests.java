package dev.critter.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.time.TimeSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cascade is never sent before the message that caused it, nor does its time-ordered id sort
 * before its parent's, also while sent-at comes from the coarse clock (the system clock, busy) and
 * the parent's was read exactly (a parent with a deadline, or an inline invoke stamped on first read).
 */
class CascadeSentAtTests {

    private static final int PAIRS = 5_000;

    record Parent(int n) { }

    record Child(int n) { }

    @Test
    void aCascadeOfAParentWithADeadlineIsNotSentBeforeIt() {
        try (TimeSource time = TimeSource.system()) {
            EnvelopeFactory envelopes = new EnvelopeFactory(time, "test");
            DeliveryOptions deadline = DeliveryOptions.builder().deliverWithin(Duration.ofMinutes(1)).build();
            readUntilCached(time);
            for (int i = 0; i < PAIRS; i++) {
                Envelope parent = envelopes.create(new Parent(i), deadline, null);
                Envelope child = envelopes.create(new Child(i), DeliveryOptions.none(), parent);
                assertNotBefore(child, parent, i);
            }
        }
    }

    @Test
    void aCascadeOfAnInlineInvokeIsNotSentBeforeIt() {
        try (TimeSource time = TimeSource.system()) {
            EnvelopeFactory envelopes = new EnvelopeFactory(time, "test");
            readUntilCached(time);
            for (int i = 0; i < PAIRS; i++) {
                Envelope parent = envelopes.createInline(new Parent(i), DeliveryOptions.none(), null);
                Envelope child = envelopes.create(new Child(i), DeliveryOptions.none(), parent);
                assertNotBefore(child, parent, i);
            }
        }
    }

    private static void assertNotBefore(Envelope child, Envelope parent, int pair) {
        assertThat(child.sentAt()).as("sent-at of child %d (parent %s)", pair, parent.sentAt())
                .isAfterOrEqualTo(parent.sentAt());
        assertThat(Long.compareUnsigned(child.id().getMostSignificantBits() >>> 16,
                parent.id().getMostSignificantBits() >>> 16)).as("id millis of child %d", pair).isNotNegative();
    }

    /**
     * Reads fast until one instant is served for 200 µs, which only the cache does (the clock counts
     * in micro- or nanoseconds): the critter-clock thread runs, and the pairs' reads keep it running.
     */
    private static void readUntilCached(TimeSource time) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Instant same = time.coarseNow();
        long since = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            assertThat(now).as("the coarse clock caches in time").isLessThan(deadline);
            Instant read = time.coarseNow();
            if (!read.equals(same)) {
                same = read;
                since = now;
            } else if (now - since > TimeUnit.MICROSECONDS.toNanos(200)) {
                return;
            }
        }
    }
}
