package dev.critter.benchmarks.noop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts handled messages down to zero, so the publishing thread can block until a whole batch is
 * handled instead of polling.
 */
public final class HandledCount {

    private volatile CountDownLatch remaining = new CountDownLatch(0);

    /**
     * Starts a batch; call before publishing its first message, after the previous batch was awaited.
     * @param messages how many messages the batch publishes
     */
    public void expect(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1, was " + messages);
        }
        remaining = new CountDownLatch(messages);
    }

    /** Called by the handler for each message. */
    public void countOne() {
        remaining.countDown();
    }

    /**
     * Blocks until every message of the batch was handled.
     * @param timeout how long to wait before declaring messages lost
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when messages are still unhandled after the timeout
     */
    public void await(Duration timeout) throws InterruptedException {
        CountDownLatch latch = remaining;
        if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(latch.getCount() + " messages still unhandled after " + timeout);
        }
    }
}
