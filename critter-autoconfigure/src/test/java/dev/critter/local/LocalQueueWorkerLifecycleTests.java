package dev.critter.local;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static dev.critter.local.LocalQueueFixture.workersOf;
import static org.assertj.core.api.Assertions.assertThat;

class LocalQueueWorkerLifecycleTests {

    private static final WorkerSettings QUICK_RETIREMENT = new WorkerSettings(Duration.ofMillis(100), false);

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void aStartedQueueWithNothingToDoHoldsNoThread() {
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("quiet", 4, 10, PATIENCE), (envelope, from) -> { });

        assertThat(queue.isRunning()).isTrue();
        assertThat(workersOf("quiet")).isEmpty();
    }

    @Test
    void workersStartUnderLoadUpToTheParallelismAndRetireAfterTheIdleTimeout() {
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("busy", 3, 100, PATIENCE),
                (envelope, from) -> pass(gate), QUICK_RETIREMENT);
        for (int i = 0; i < 10; i++) {
            queue.send(envelope(i), false);
        }
        eventually().until(() -> queue.inFlight() == 3);
        assertThat(workersOf("busy")).hasSize(3);

        gate.countDown();

        eventually().until(() -> queue.depth() == 0 && queue.inFlight() == 0);
        eventually().until(() -> workersOf("busy").isEmpty());
        assertThat(queue.isRunning()).isTrue();
    }

    @Test
    void aQueueWhoseWorkersRetiredStartsNewOnesForTheNextMessage() {
        AtomicInteger handled = new AtomicInteger();
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("again", 10, PATIENCE),
                (envelope, from) -> handled.incrementAndGet(), QUICK_RETIREMENT);
        queue.send(envelope(1), false);
        eventually().until(() -> handled.get() == 1);
        eventually().until(() -> workersOf("again").isEmpty());

        queue.send(envelope(2), false);

        eventually().until(() -> handled.get() == 2);
    }

    @Test
    void aWorkerThatJustFinishedTakesTheNextMessageInsteadOfANewThreadStarting() {
        AtomicInteger handled = new AtomicInteger();
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("reuse", 4, 10, PATIENCE),
                (envelope, from) -> handled.incrementAndGet());
        for (int i = 1; i <= 20; i++) {
            queue.send(envelope(i), false);
            int expected = i;
            // One message at a time: the worker that handled the last one is idle when the next arrives.
            eventually().until(() -> handled.get() == expected && queue.inFlight() == 0);
        }

        assertThat(workersOf("reuse")).extracting(Thread::getName).containsExactly("critter-reuse-1");
    }

    @Test
    void virtualThreadsAreAskedForOnlyWhereTheRuntimeHasThem() {
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("virtual", 10, PATIENCE), (envelope, from) -> { },
                new WorkerSettings(Duration.ofSeconds(10), true));
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue blocking = queues.start(LocalQueueSettings.sequential("virtual-blocking", 10, PATIENCE),
                (envelope, from) -> pass(gate), new WorkerSettings(Duration.ofSeconds(10), true));
        blocking.send(envelope(1), false);
        eventually().until(() -> blocking.inFlight() == 1);

        // Virtual threads are not listed by Thread.getAllStackTraces; platform workers are.
        assertThat(workersOf("virtual-blocking")).hasSize(WorkerThreads.VirtualThreads.AVAILABLE ? 0 : 1);
        assertThat(queue.isRunning()).isTrue();
        gate.countDown();
    }
}
