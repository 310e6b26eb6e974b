package dev.critter.local;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many local-queue workers may spin at once, across all queues: a spinning worker holds a core,
 * so however many queues an application has, at most half the cores spin and the rest stay free for
 * handlers. A worker takes a permit when it starts spinning and keeps it while senders keep handing
 * it messages; it gives it back when it parks, retires or finds work waiting in its queue (it is
 * then busy, not spinning). A worker that finds no permit parks at once, as before spinning existed.
 */
final class SpinPermits {

    /** Shared by every queue in this JVM: the cores are. */
    static final SpinPermits SHARED = new SpinPermits(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    private final AtomicInteger available;

    /**
     * @param permits how many workers may spin at once; at least 1
     */
    SpinPermits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("At least one spin permit, was " + permits);
        }
        this.available = new AtomicInteger(permits);
    }

    /**
     * Takes a permit if one is free.
     * @return whether one was taken
     */
    boolean tryAcquire() {
        int free;
        do {
            free = available.get();
            if (free <= 0) {
                return false;
            }
        } while (!available.compareAndSet(free, free - 1));
        return true;
    }

    /** Gives back a permit taken with {@link #tryAcquire()}. */
    void release() {
        available.incrementAndGet();
    }

    /**
     * Counts the permits free right now.
     * @return the number of free permits
     */
    int available() {
        return available.get();
    }
}
