package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.critter.QueueFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * While every worker of a FIFO queue is busy and the queue is at most a quarter full, sends go to
 * its express lane without the queue's lock, and workers move them into the queue when they come
 * for more. What is checked: such sends keep their order and count in the depth, none is left
 * behind when the last busy worker goes idle, and none is lost when the queue stops while they are
 * sent. Each test also checks that its sends did take the lane.
 */
class LocalQueueExpressLaneTests {

    private static final WorkerSettings NO_SPIN = new WorkerSettings(Duration.ofSeconds(60), false, Duration.ZERO);

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    private static void runOnAnotherThread(Runnable action) {
        Thread thread = new Thread(action);
        thread.start();
        try {
            thread.join(PATIENCE.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void sendsWhileTheWorkerIsBusyTakeTheLaneCountInTheDepthAndKeepTheirOrder() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("in-order", 100, PATIENCE), (envelope, from) -> {
            handled.add(envelope.message());
            if (envelope.message().equals(0)) {
                pass(gate);
            }
        });
        queue.send(envelope(0), false);
        eventually().until(() -> handled.contains(0));

        // A quarter of the capacity through the lane, the rest under the lock, which takes in
        // what the lane holds first.
        for (int i = 1; i <= 80; i++) {
            queue.send(envelope(i), false);
        }

        assertThat(queue.expressSends()).isPositive();
        assertThat(queue.depth()).isEqualTo(80);
        gate.countDown();
        eventually().until(() -> handled.size() == 81);
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i <= 80; i++) {
            expected.add(i);
        }
        assertThat(handled).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "spin {0} µs")
    @ValueSource(longs = {0, 50})
    void aSendAsTheLastBusyWorkerGoesIdleIsNotLeftInTheLane(long spinMicros) {
        AtomicLong handled = new AtomicLong();
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("bursts", 2, 1_000, PATIENCE),
                (envelope, from) -> handled.incrementAndGet(),
                new WorkerSettings(Duration.ofSeconds(60), false, Duration.ofNanos(spinMicros * 1_000)));
        long sent = 0;
        // Bursts with lulls between them: the workers go idle after each, often while the
        // burst's last sends are on their way through the lane.
        for (int burst = 0; burst < 3_000; burst++) {
            int size = 1 + ThreadLocalRandom.current().nextInt(24);
            for (int i = 0; i < size; i++) {
                queue.send(envelope(sent++), false);
            }
            long expected = sent;
            eventually().until(() -> handled.get() == expected);
        }
        assertThat(queue.expressSends()).isPositive();
    }

    @Test
    void aSendThatTookTheLaneJustBeforeTheLastWorkerParksIsHandled() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("parks", 100, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), NO_SPIN);
        AtomicBoolean raced = new AtomicBoolean();
        queue.raceHooks(new LocalQueue.RaceHooks() {
            @Override
            public void beforeWorkerParks() {
                // The worker found nothing and is about to park, the lane still open: a send now
                // takes the lane and returns, and only the worker can see it is there.
                if (handled.contains(0) && raced.compareAndSet(false, true)) {
                    runOnAnotherThread(() -> queue.send(envelope(1), false));
                }
            }
        });
        queue.start();

        queue.send(envelope(0), false);

        eventually().until(() -> handled.size() == 2);
        assertThat(queue.expressSends()).isEqualTo(1);
    }

    @Test
    void aSendThatFoundTheLaneOpenAsTheQueueStoppedIsRefusedNotLost() {
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("stops", 100, PATIENCE),
                (envelope, from) -> pass(gate), NO_SPIN);
        AtomicBoolean stopNow = new AtomicBoolean();
        AtomicInteger unhandled = new AtomicInteger(-1);
        queue.raceHooks(new LocalQueue.RaceHooks() {
            @Override
            public void beforeExpressAppend() {
                // The publisher found the lane open; the queue stops before it appends.
                if (stopNow.compareAndSet(true, false)) {
                    unhandled.set(queue.stop(Duration.ZERO));
                }
            }
        });
        queue.start();
        queue.send(envelope(0), false);
        eventually().until(() -> queue.inFlight() == 1);
        stopNow.set(true);

        assertThrows(IllegalStateException.class, () -> queue.send(envelope(1), false));

        // The stop closed the lane: the send went to the queue itself, which refused it.
        assertThat(unhandled.get()).isZero();
        assertThat(queue.depth()).isZero();
        assertThat(queue.expressSends()).isZero();
    }

    @Test
    void everySendRacingAStopIsHandledCountedAsUnhandledOrRefused() throws InterruptedException {
        long throughLane = 0;
        for (int round = 0; round < 20; round++) {
            AtomicInteger started = new AtomicInteger();
            LocalQueue queue = queues.start(LocalQueueSettings.parallel("stopping-" + round, 2, 10_000, PATIENCE),
                    (envelope, from) -> {
                        started.incrementAndGet();
                        for (int spin = 0; spin < 200; spin++) {
                            Thread.onSpinWait();
                        }
                    });
            AtomicInteger accepted = new AtomicInteger();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                Thread publisher = new Thread(() -> {
                    try {
                        for (int i = 0; ; i++) {
                            queue.send(envelope(i), false);
                            accepted.incrementAndGet();
                        }
                    } catch (IllegalStateException refused) {
                        // The queue stopped: this send was not accepted.
                    }
                });
                publisher.start();
                publishers.add(publisher);
            }
            eventually().until(() -> started.get() > 2_000);

            int unhandled = queue.stop(Duration.ZERO);

            for (Thread publisher : publishers) {
                publisher.join(PATIENCE.toMillis());
                assertThat(publisher.isAlive()).isFalse();
            }
            assertThat(started.get() + unhandled).as("started plus unhandled, round %d", round)
                    .isEqualTo(accepted.get());
            throughLane += queue.expressSends();
        }
        assertThat(throughLane).isPositive();
    }
    @Test
    void aSendThatTakesTheLaneWhileAnotherIsQueuedUnderTheLockDoesNotPassTheCapacity() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("brim", 4, Duration.ofMillis(50)),
                (envelope, from) -> pass(gate), NO_SPIN);
        AtomicBoolean raceNow = new AtomicBoolean();
        List<Thread> racers = new CopyOnWriteArrayList<>();
        queue.raceHooks(new LocalQueue.RaceHooks() {
            @Override
            public void afterQueued() {
                // The sender moved the full lane into the queue and queued its own envelope, the
                // queue now full; before it unlocks, another publisher sends.
                if (raceNow.compareAndSet(true, false)) {
                    Thread racer = new Thread(() -> {
                        try {
                            queue.send(envelope(5), false);
                        } catch (QueueFullException full) {
                            // Refused once the queue was full: as it should be.
                        }
                    });
                    racers.add(racer);
                    racer.start();
                    // Either it took the lane and returned, or it waits for the queue's lock.
                    eventually().until(() -> !racer.isAlive() || racer.getState() == Thread.State.WAITING);
                }
            }
        });
        queue.start();
        queue.send(envelope(0), false);
        eventually().until(() -> queue.inFlight() == 1);

        queue.send(envelope(1), false);
        queue.send(envelope(2), false);
        queue.send(envelope(3), false);
        assertThat(queue.expressSends()).isEqualTo(2);
        assertThat(queue.depth()).isEqualTo(3);

        raceNow.set(true);
        queue.send(envelope(4), false);
        assertThat(racers).hasSize(1);
        racers.get(0).join(PATIENCE.toMillis());
        assertThat(racers.get(0).isAlive()).isFalse();

        // Outside publishers only: the queue holds at most its capacity.
        assertThat(queue.depth()).isLessThanOrEqualTo(4);
    }
}
