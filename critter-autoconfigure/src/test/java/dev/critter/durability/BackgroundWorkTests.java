package dev.critter.durability;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundWorkTests {

    private final BackgroundWork work = new BackgroundWork(1);

    @AfterEach
    void stop() {
        work.stop(Duration.ofSeconds(5));
    }

    @Test
    void anAgentWokenAgainAndAgainWhileItRunsDoesNotStarveTheOthersOfItsThreads() throws Exception {
        // A relay with a long backlog wakes itself after every batch: with the node's only
        // thread, the heartbeat must still get its turn between two batches.
        AtomicReference<BackgroundWork.Agent> busy = new AtomicReference<>();
        AtomicInteger batches = new AtomicInteger();
        busy.set(work.every("busy", Duration.ofHours(1), () -> {
            batches.incrementAndGet();
            busy.get().wake();
        }));
        CountDownLatch heartbeat = new CountDownLatch(1);
        work.every("heartbeat", Duration.ofMillis(50), heartbeat::countDown);

        busy.get().wake();

        assertThat(heartbeat.await(60, TimeUnit.SECONDS)).as("the heartbeat ran while the busy agent kept waking").isTrue();
        assertThat(batches.get()).isPositive();
    }

    @Test
    void aWakeUpWhileAnAgentRunsMakesItRunOnceMoreAndNeverTwiceAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRun = new CountDownLatch(2);
        BackgroundWork two = new BackgroundWork(2);
        try {
            BackgroundWork.Agent agent = two.every("agent", Duration.ofHours(1), () -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                runs.incrementAndGet();
                firstRun.countDown();
                secondRun.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            });
            agent.wake();
            assertThat(firstRun.await(60, TimeUnit.SECONDS)).isTrue();
            agent.wake();
            agent.wake();
            agent.wake();
            release.countDown();

            assertThat(secondRun.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps.get()).isZero();
        } finally {
            two.stop(Duration.ofSeconds(5));
        }
        assertThat(runs.get()).as("three wake-ups during one run coalesce into one more run").isEqualTo(2);
    }
}
