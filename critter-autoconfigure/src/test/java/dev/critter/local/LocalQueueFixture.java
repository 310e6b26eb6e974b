package dev.critter.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.critter.Envelope;
import dev.critter.transport.EnvelopeReceiver;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Creates the local queues of one test and stops them afterwards, so no worker outlives its test;
 * also builds envelopes and condition waits shared by the local queue tests.
 */
final class LocalQueueFixture implements AfterEachCallback {

    /** Generous, because the build machine may be loaded; passing tests never wait this long. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<LocalQueue> queues = new ArrayList<>();

    /** Creates a queue without starting it. */
    LocalQueue create(LocalQueueSettings settings, EnvelopeReceiver receiver) {
        LocalQueue queue = new LocalQueue(settings, receiver);
        queues.add(queue);
        return queue;
    }

    /** Creates a queue with the given worker settings, without starting it. */
    LocalQueue create(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workers) {
        LocalQueue queue = new LocalQueue(settings, receiver, workers);
        queues.add(queue);
        return queue;
    }

    /** Creates and starts a queue. */
    LocalQueue start(LocalQueueSettings settings, EnvelopeReceiver receiver) {
        LocalQueue queue = create(settings, receiver);
        queue.start();
        return queue;
    }

    /** Creates and starts a queue with the given worker settings. */
    LocalQueue start(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workers) {
        LocalQueue queue = new LocalQueue(settings, receiver, workers);
        queues.add(queue);
        queue.start();
        return queue;
    }

    /** Creates and starts a queue whose workers spin only with a permit of {@code spinPermits}. */
    LocalQueue start(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workers,
                     SpinPermits spinPermits) {
        LocalQueue queue = new LocalQueue(settings, receiver, workers, false, spinPermits);
        queues.add(queue);
        queue.start();
        return queue;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // A zero drain interrupts handlers still blocked on a test's gate.
        queues.forEach(queue -> queue.stop(Duration.ZERO));
        queues.clear();
    }

    static Envelope envelope(Object payload) {
        return Envelope.builder().id(UUID.randomUUID()).messageType("x").message(payload).sentAt(Instant.now()).build();
    }

    /** A condition wait that polls often, so tests finish as soon as the condition holds. */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Blocks a handler until the test opens the gate; returns early, quietly, when interrupted by stop. */
    static void pass(CountDownLatch gate) {
        try {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the live worker threads of the named queue */
    static List<Thread> workersOf(String queueName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("critter-" + queueName + "-"))
                .toList();
    }
}
