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
    private volatile long firstJavaCpu;
    private volatile long firstBrokerCpu;

    /** Counts one message now. */
    public void one() {
        long now = System.nanoTime();
        if (count.getAndIncrement() == 0) {
            first = now;
            firstJavaCpu = CpuTime.java();
            firstBrokerCpu = CpuTime.broker();
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

    /**
     * Returns the CPU time this JVM and the broker used since the first arrival, in nanoseconds
     * (the broker's is negative when it is not a local process).
     * @return this JVM's and the broker's CPU time since the first arrival
     */
    public long[] cpuSinceFirst() {
        long broker = CpuTime.broker();
        return new long[] {CpuTime.java() - firstJavaCpu, broker < 0 ? -1 : broker - firstBrokerCpu};
    }

    /** Starts counting again. */
    public void reset() {
        count.set(0);
        first = 0;
        last = 0;
    }
}
