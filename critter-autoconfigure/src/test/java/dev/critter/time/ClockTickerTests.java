package dev.critter.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real {@code critter-clock} thread on the system clock: it comes with fast reads and goes without. */
class ClockTickerTests {

    /** How far behind the clock a served instant may be: generous, the machine may be loaded. */
    private static final Duration LAG = Duration.ofSeconds(5);

    @Test
    void aTightReadLoopStartsTheThreadWhichServesRecentInstantsAndEndsOnceReadsStop() {
        Clock system = Clock.systemUTC();
        ClockTicker ticker = new ClockTicker(system);
        CoarseClock coarse = ticker.clock();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int cachedReads = 0;
            int refreshes = 0;
            Instant lastCached = null;
            boolean sawThread = false;
            // Until many reads were served from the cache and the cache was refreshed a few times (the
            // thread may take a while to run on a loaded machine, hence no bound on how soon).
            while (cachedReads < 500 || refreshes < 20) {
                assertThat(System.nanoTime()).as("reads served from the cache in time").isLessThan(deadline);
                Instant before = system.instant();
                Instant served = coarse.read();
                Instant after = system.instant();
                assertThat(served).isBetween(before.minus(LAG), after);
                if (coarse.caching()) {
                    cachedReads++;
                    if (lastCached != null && !served.equals(lastCached)) {
                        refreshes++;
                    }
                    lastCached = served;
                    // Once: listing the threads is slow, and reads must come fast to keep it running.
                    sawThread = sawThread || tickerThreadAlive();
                }
            }
            assertThat(sawThread).as("a live %s thread while reads were cached", ClockTicker.THREAD_NAME).isTrue();

            // No more reads: after its idle ticks the thread clears the value and ends.
            await().atMost(Duration.ofSeconds(30)).until(() -> !ticker.running());
            assertThat(coarse.caching()).isFalse();
            Instant before = system.instant();
            assertThat(coarse.read()).isBetween(before, system.instant());
        } finally {
            ticker.close();
        }
    }

    @Test
    void closingATimeSourceEndsTheThreadAtOnceAndForGood() {
        TimeSource time = TimeSource.system();
        readUntilTicking(time);
        time.close();
        assertThat(time.ticking()).isFalse();
        for (int i = 0; i < 10_000; i++) {
            Instant before = Instant.now();
            assertThat(time.coarseNow()).isAfterOrEqualTo(before);
        }
        assertThat(time.ticking()).isFalse();
    }

    @Test
    void stoppingEndsTheThreadAndFastReadsStartANewOne() {
        try (TimeSource time = TimeSource.system()) {
            readUntilTicking(time);
            time.stopTicking();
            assertThat(time.ticking()).isFalse();
            readUntilTicking(time);
        }
    }

    private static void readUntilTicking(TimeSource time) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!time.ticking()) {
            assertThat(System.nanoTime()).as("ticking in time").isLessThan(deadline);
            time.coarseNow();
        }
    }

    private static boolean tickerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(ClockTicker.THREAD_NAME) && thread.isAlive());
    }
}
