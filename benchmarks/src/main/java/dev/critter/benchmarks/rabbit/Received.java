package dev.critter.benchmarks.rabbit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts received messages and remembers when the first and the latest arrived, so a consumer's
 * rate is measured from its first delivery to its last, whatever its start-up cost.
 */
public final class Received {

    private final AtomicLong count = new AtomicLong();
    private volatile long first;
    private volatile long last;

    /** Counts one message now. */
    public void one() {
        long now = System.nanoTime();
        if (count.getAndIncrement() == 0) {
            first = now;
        }
        last = now;
    }

    /**
     * Returns how many arrived.
     * @return how many arrived
     */
    public long count() {
        return count.get();
    }

    /**
     * Returns the messages per second between the first and the latest arrival.
     * @return the rate
     */
    public double rate() {
        long n = count.get();
        long nanos = last - first;
        return nanos <= 0 ? 0 : (n - 1) * 1e9 / nanos;
    }

    /** Starts counting again. */
    public void reset() {
        count.set(0);
        first = 0;
        last = 0;
    }
}
