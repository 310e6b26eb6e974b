package dev.critter.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.critter.testing.TestClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeSourceTests {

    @Test
    void aWaitOnATestClockEndsWhenTheClockReachesItsDueTimeAndNotBefore() throws Exception {
        TestClock clock = new TestClock();
        TimeSource time = new TimeSource(clock);
        Instant due = clock.instant().plus(Duration.ofHours(1));
        CompletableFuture<Instant> woke = CompletableFuture.supplyAsync(() -> {
            time.sleepUntil(due);
            return clock.instant();
        });

        clock.advance(Duration.ofMinutes(59));
        assertThat(woke).isNotDone();
        clock.advance(Duration.ofMinutes(1));
        assertThat(woke.get(30, TimeUnit.SECONDS)).isEqualTo(due);
    }

    @Test
    void wakeEndsAWaitEarlyAndAWakeBeforeTheWaitEndsTheNextOne() throws Exception {
        TimeSource time = new TimeSource(new TestClock());
        Waiter waiter = time.newWaiter();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                waiter.awaitUntil(Instant.MAX);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
        waiter.wake();
        waiting.get(30, TimeUnit.SECONDS);

        waiter.wake();
        waiter.awaitUntil(Instant.MAX);
    }

    @Test
    void aDueTimeInThePastReturnsAtOnce() {
        TimeSource time = TimeSource.system();
        assertThat(time.sleepUntil(Instant.MIN)).isTrue();
        assertThat(time.sleepUntil(time.now())).isTrue();
    }
}
