package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.Envelope;
import dev.critter.QueueFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalQueueBackPressureTests {

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void publisherWaitsForTheTimeoutAtCapacityThenGetsQueueFullExceptionAndNothingIsLost() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<UUID> handled = new CopyOnWriteArrayList<>();
        Duration timeout = Duration.ofMillis(200);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("full", 1, 5, timeout), (envelope, from) -> {
            pass(gate);
            handled.add(envelope.id());
        });
        List<UUID> accepted = new ArrayList<>();
        Envelope inFlight = envelope(0);
        queue.send(inFlight, false);
        accepted.add(inFlight.id());
        eventually().until(() -> queue.inFlight() == 1);
        for (int i = 1; i <= 5; i++) {
            Envelope waiting = envelope(i);
            queue.send(waiting, false);
            accepted.add(waiting.id());
        }
        Envelope rejected = envelope("one too many");

        long startedWaiting = System.nanoTime();
        assertThatExceptionOfType(QueueFullException.class)
                .isThrownBy(() -> queue.send(rejected, false))
                .withMessageContaining("'full' stayed full (capacity 5)")
                .satisfies(ex -> assertThat(ex.queueName()).isEqualTo("full"));
        assertThat(Duration.ofNanos(System.nanoTime() - startedWaiting)).isGreaterThanOrEqualTo(timeout);
        assertThat(queue.depth()).isEqualTo(5);

        gate.countDown();
        eventually().until(() -> handled.size() == 6 && queue.depth() == 0 && queue.inFlight() == 0);
        assertThat(handled).containsExactlyElementsOf(accepted).doesNotContain(rejected.id());

        // The caller still holds the rejected message and can send it again once there is room.
        queue.send(rejected, false);
        eventually().until(() -> handled.size() == 7);
        assertThat(handled).doesNotHaveDuplicates().endsWith(rejected.id());
    }

    @Test
    void blockedPublisherIsWokenAsSoonAsTheDepthFalls() throws Exception {
        Semaphore permits = new Semaphore(0);
        CountDownLatch handled = new CountDownLatch(4);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("wake", 1, 2, PATIENCE), (envelope, from) -> {
            try {
                permits.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            handled.countDown();
        });
        queue.send(envelope(0), false);
        eventually().until(() -> queue.inFlight() == 1);
        queue.send(envelope(1), false);
        queue.send(envelope(2), false);

        Publisher publisher = Publisher.start("wake-publisher", () -> queue.send(envelope(3), false));
        eventually().until(() -> publisher.thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(publisher.hasReturned()).isFalse();
        assertThat(queue.depth()).isEqualTo(2);

        permits.release();
        eventually().atMost(Duration.ofSeconds(10)).until(publisher::hasReturned);
        assertThat(publisher.failure.get()).isNull();

        permits.release(3);
        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void handlerCascadingTenTimesTheCapacityOntoItsOwnQueueCompletes() throws Exception {
        int capacity = 10;
        int children = 10 * capacity;
        CountDownLatch handled = new CountDownLatch(1 + children);
        // One worker and a short publish timeout: a cascade that waited for room would never finish.
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("cascade", 1, capacity, Duration.ofMillis(100)),
                (envelope, from) -> {
                    if (envelope.message().equals("root")) {
                        for (int i = 0; i < children; i++) {
                            from.send(envelope(i), true);
                        }
                    }
                    handled.countDown();
                });

        queue.send(envelope("root"), false);

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        // The root's worker was busy for the whole cascade, so every child past the capacity counts.
        assertThat(queue.overCapacityAdmissions()).isEqualTo(children - capacity);
    }

    @Test
    void outsidePublisherWaitsWhileCascadesKeepTheDepthAboveCapacity() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(1 + 20 + 1);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("over", 1, 4, PATIENCE), (envelope, from) -> {
            if (envelope.message().equals("root")) {
                for (int i = 0; i < 20; i++) {
                    from.send(envelope(i), true);
                }
                pass(gate);
            }
            handled.countDown();
        });
        queue.send(envelope("root"), false);
        eventually().until(() -> queue.depth() == 20);

        Publisher publisher = Publisher.start("over-publisher", () -> queue.send(envelope("outside"), false));
        eventually().until(() -> publisher.thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(publisher.hasReturned()).isFalse();

        gate.countDown();
        eventually().atMost(Duration.ofSeconds(10)).until(publisher::hasReturned);
        assertThat(publisher.failure.get()).isNull();
        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.overCapacityAdmissions()).isEqualTo(16);
    }

    /** Sends from its own thread, so a test can watch it block. */
    static final class Publisher {
        final Thread thread;
        final CountDownLatch returned = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        private Publisher(String name, Runnable send) {
            this.thread = new Thread(() -> {
                try {
                    send.run();
                } catch (Throwable ex) {
                    failure.set(ex);
                } finally {
                    returned.countDown();
                }
            }, name);
            thread.setDaemon(true);
        }

        static Publisher start(String name, Runnable send) {
            Publisher publisher = new Publisher(name, send);
            publisher.thread.start();
            return publisher;
        }

        boolean hasReturned() {
            return returned.getCount() == 0;
        }
    }
}
