package dev.critter.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.testing.TestClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The coarse clock's decisions, ticked by hand on a clock moved by hand: no thread, no waiting. */
class CoarseClockTests {

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger starts = new AtomicInteger();
    private final CoarseClock coarse = new CoarseClock(clock, starts::incrementAndGet);

    @Test
    void readsSpacedAMillisecondApartGoToTheClockAndNeverStartTheTicker() {
        for (int i = 0; i < 1_000; i++) {
            clock.advance(Duration.ofNanos(CoarseClock.FAST_NANOS));
            assertThat(coarse.read()).isEqualTo(clock.instant());
        }
        assertThat(starts).hasValue(0);
        assertThat(coarse.caching()).isFalse();
    }

    @Test
    void aFewFastReadsDoNotStartTheTickerButABurstDoes() {
        fastReads(CoarseClock.FAST_STREAK);
        assertThat(starts).as("the first read has no previous one to be fast after").hasValue(0);
        fastReads(1);
        assertThat(starts).hasValue(1);
        // Until a tick caches a value, reads still go to the clock (and keep asking: the start is cheap).
        clock.advance(Duration.ofNanos(10));
        assertThat(coarse.read()).isEqualTo(clock.instant());
        assertThat(starts).hasValue(2);
    }

    @Test
    void aSlowReadInTheMiddleStartsTheStreakAgain() {
        fastReads(CoarseClock.FAST_STREAK - 1);
        clock.advance(Duration.ofMillis(2));
        coarse.read();
        fastReads(CoarseClock.FAST_STREAK - 1);
        assertThat(starts).hasValue(0);
    }

    @Test
    void onceTickedReadsServeTheTickedInstantUntilTheNextTick() {
        fastReads(CoarseClock.FAST_STREAK + 1);
        assertThat(coarse.tick()).isTrue();
        Instant ticked = clock.instant();

        clock.advance(Duration.ofMillis(1).minusNanos(1));
        assertThat(coarse.read()).isEqualTo(ticked);
        assertThat(coarse.read()).isSameAs(coarse.read());

        assertThat(coarse.tick()).isTrue();
        assertThat(coarse.read()).isEqualTo(clock.instant());
    }

    @Test
    void afterTheIdleTicksTheValueIsClearedAndReadsGoToTheClockAgain() {
        startCaching();
        coarse.read();
        // The tick after a read resets the count; the ticker stops at the hundredth tick after it.
        for (int i = 0; i < CoarseClock.IDLE_TICKS; i++) {
            clock.advance(Duration.ofMillis(1));
            assertThat(coarse.tick()).as("tick %d", i).isTrue();
        }
        assertThat(coarse.caching()).isTrue();
        coarse.read();
        for (int i = 0; i < CoarseClock.IDLE_TICKS; i++) {
            assertThat(coarse.tick()).as("tick %d after the second read", i).isTrue();
        }

        assertThat(coarse.tick()).isFalse();
        assertThat(coarse.caching()).isFalse();
        clock.advance(Duration.ofMillis(5));
        assertThat(coarse.read()).isEqualTo(clock.instant());
    }

    @Test
    void afterStoppingItTakesANewBurstToStartAgain() {
        startCaching();
        int started = starts.get();
        coarse.clear();
        clock.advance(Duration.ofMillis(5));
        fastReads(CoarseClock.FAST_STREAK);
        assertThat(starts).hasValue(started);
        fastReads(1);
        assertThat(starts).hasValue(started + 1);
    }

    @Test
    void aClockSetBackDoesNotMoveTheCachedValueBack() {
        startCaching();
        Instant served = coarse.read();
        clock.advance(Duration.ofSeconds(-1));
        assertThat(coarse.tick()).isTrue();
        assertThat(coarse.read()).isEqualTo(served);
        clock.advance(Duration.ofSeconds(2));
        assertThat(coarse.tick()).isTrue();
        assertThat(coarse.read()).isEqualTo(clock.instant());
    }

    @Test
    void theFirstCachedValueIsNotBeforeTheLastDirectRead() {
        fastReads(CoarseClock.FAST_STREAK + 1);
        Instant lastDirect = clock.instant();
        clock.advance(Duration.ofMillis(-1));
        assertThat(coarse.tick()).isTrue();
        assertThat(coarse.read()).isEqualTo(lastDirect);
    }

    @Test
    void aTimeSourceOnAnyOtherClockReadsItExactlyAndStartsNoThread() {
        TestClock other = new TestClock();
        try (TimeSource time = new TimeSource(other)) {
            for (int i = 0; i < 10_000; i++) {
                other.advance(Duration.ofNanos(100));
                assertThat(time.coarseNow()).isEqualTo(other.instant());
            }
        }
        // An application's Clock bean is read exactly even when it is the system clock.
        try (TimeSource time = new TimeSource(Clock.systemUTC())) {
            for (int i = 0; i < 10_000; i++) {
                time.coarseNow();
            }
            assertThat(time.ticking()).isFalse();
        }
    }

    /** A clock moved by hand, backwards too (a wall clock can be set back). */
    private static final class ManualClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private void startCaching() {
        fastReads(CoarseClock.FAST_STREAK + 1);
        assertThat(starts).hasValue(1);
        assertThat(coarse.tick()).isTrue();
        assertThat(coarse.caching()).isTrue();
    }

    private void fastReads(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofNanos(CoarseClock.FAST_NANOS - 1));
            assertThat(coarse.read()).isEqualTo(clock.instant());
        }
    }
}
