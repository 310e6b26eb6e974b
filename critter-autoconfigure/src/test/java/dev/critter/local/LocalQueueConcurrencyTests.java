package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static dev.critter.local.LocalQueueFixture.workersOf;
import static org.assertj.core.api.Assertions.assertThat;

class LocalQueueConcurrencyTests {

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void handlesAtMostParallelismMessagesAtOnce() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(15);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("three", 3, 100, PATIENCE), (envelope, from) -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            pass(gate);
            active.decrementAndGet();
            handled.countDown();
        });

        for (int i = 0; i < 10; i++) {
            queue.send(envelope(i), false);
        }
        eventually().until(() -> active.get() == 3);
        // Every worker is now parked in a handler; sending more must wake nobody into a 4th handler.
        for (int i = 10; i < 15; i++) {
            queue.send(envelope(i), false);
        }
        eventually().until(() -> workersOf("three").stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));

        assertThat(workersOf("three")).hasSize(3);
        assertThat(active).hasValue(3);
        assertThat(queue.inFlight()).isEqualTo(3);
        assertThat(queue.depth()).isEqualTo(12);

        gate.countDown();
        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(maxActive).hasValue(3);
        eventually().until(() -> queue.depth() == 0 && queue.inFlight() == 0);
    }

    @Test
    void sequentialQueuePreservesTheOrderOfTenThousandMessages() throws Exception {
        int count = 10_000;
        List<Integer> seen = new ArrayList<>(count);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(count);
        // A capacity below the message count makes the publisher wait on back-pressure along the way.
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("ordered", 256, PATIENCE), (envelope, from) -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            seen.add((Integer) envelope.message());
            active.decrementAndGet();
            handled.countDown();
        });

        for (int i = 0; i < count; i++) {
            queue.send(envelope(i), false);
        }

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(maxActive).hasValue(1);
    }

    @Test
    void workerSurvivesAReceiverThatThrows() throws Exception {
        List<String> handledBy = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(1);
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("throwing", 10, PATIENCE), (envelope, from) -> {
            if (envelope.message().equals("boom")) {
                throw new IllegalStateException("receiver bug");
            }
            handledBy.add(Thread.currentThread().getName());
            handled.countDown();
        });

        queue.send(envelope("boom"), false);
        queue.send(envelope("fine"), false);

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(handledBy).containsExactly("critter-throwing-1");
    }

    @Test
    void workerSurvivesAHandlerThatLeavesItsThreadInterrupted() throws Exception {
        CountDownLatch handled = new CountDownLatch(3);
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("interrupting", 10, PATIENCE), (envelope, from) -> {
            Thread.currentThread().interrupt();
            handled.countDown();
        });

        for (int i = 0; i < 3; i++) {
            queue.send(envelope(i), false);
            eventually().until(() -> queue.depth() == 0 && queue.inFlight() == 0);
        }

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(workersOf("interrupting")).hasSize(1);
    }

    @Test
    void messagesSentBeforeStartWaitAndAreHandledInOrderOnceStarted() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(5);
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("early", 10, PATIENCE), (envelope, from) -> {
            seen.add(envelope.message());
            handled.countDown();
        });

        for (int i = 0; i < 5; i++) {
            queue.send(envelope(i), false);
        }
        assertThat(queue.depth()).isEqualTo(5);
        assertThat(queue.isRunning()).isFalse();
        assertThat(workersOf("early")).isEmpty();

        queue.start();

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        assertThat(queue.isRunning()).isTrue();
    }

    @Test
    void startsDaemonWorkersNamedAfterTheQueueOnlyWhenMessagesArrive() {
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("named", 2, 10, Duration.ofSeconds(1)),
                (envelope, from) -> pass(gate));
        assertThat(workersOf("named")).isEmpty();

        queue.send(envelope(1), false);
        queue.send(envelope(2), false);
        eventually().until(() -> queue.inFlight() == 2);

        assertThat(workersOf("named")).extracting(Thread::getName)
                .containsExactlyInAnyOrder("critter-named-1", "critter-named-2");
        assertThat(workersOf("named")).allMatch(Thread::isDaemon);
        gate.countDown();
    }
}
