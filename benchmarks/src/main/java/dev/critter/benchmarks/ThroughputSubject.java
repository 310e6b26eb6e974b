package dev.critter.benchmarks;

import java.time.Duration;

import dev.critter.benchmarks.noop.HandledCount;
import dev.critter.benchmarks.noop.Ping;

/**
 * Something that takes messages from the calling thread and runs {@link dev.critter.benchmarks.noop.NoopHandler}
 * for each on its own workers: Critter's local queue or the raw executor it is compared with.
 */
interface ThroughputSubject extends AutoCloseable {

    /** How long one batch may take before the run fails instead of hanging. */
    Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    /** @return the name printed next to the subject's figures */
    String name();

    /** @param ping hands one message over, blocking while the subject's queue is full */
    void publish(Ping ping);

    /** @return the count the handler decrements */
    HandledCount handled();

    /**
     * Publishes {@code messages} messages from the calling thread and returns once every one was handled.
     * @param messages the batch size
     * @throws InterruptedException when interrupted while waiting
     */
    default void publishAndAwait(int messages) throws InterruptedException {
        HandledCount handled = handled();
        handled.expect(messages);
        for (int i = 0; i < messages; i++) {
            publish(new Ping(i));
        }
        handled.await(BATCH_TIMEOUT);
    }

    @Override
    void close();
}
