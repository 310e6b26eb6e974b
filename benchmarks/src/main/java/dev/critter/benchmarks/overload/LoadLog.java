package dev.critter.benchmarks.overload;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * What happened to each message of the current phase, by its number: when it was meant to be
 * sent, when its publish returned, when its handler first started and how often it was handled.
 * Sized once per phase, before the clock starts, so it adds no allocation while measuring.
 */
public final class LoadLog {

    private static volatile long workNanos;
    private static volatile AtomicLongArray intended = new AtomicLongArray(0);
    private static volatile AtomicLongArray accepted = new AtomicLongArray(0);
    private static volatile AtomicLongArray started = new AtomicLongArray(0);
    private static volatile AtomicIntegerArray counts = new AtomicIntegerArray(0);
    private static final AtomicLong handled = new AtomicLong();

    private LoadLog() {
    }

    /**
     * Starts a phase.
     * @param size the most messages the phase may send
     * @param work how long each handler works, in nanoseconds
     */
    static void reset(int size, long work) {
        workNanos = work;
        intended = new AtomicLongArray(size);
        accepted = new AtomicLongArray(size);
        started = new AtomicLongArray(size);
        counts = new AtomicIntegerArray(size);
        handled.set(0);
    }

    static int size() {
        return counts.length();
    }

    static void intended(int n, long nanos) {
        intended.set(n, nanos);
    }

    static void accepted(int n, long nanos) {
        accepted.set(n, nanos);
    }

    /**
     * Called by a handler (Critter's or the raw consumer's) as it starts with message {@code n}.
     * @param n the message number
     */
    static void started(int n) {
        long now = System.nanoTime();
        if (counts.getAndIncrement(n) == 0) {
            started.set(n, now);
        }
        handled.incrementAndGet();
    }

    /** The handler's fixed work. */
    static void work() {
        long end = System.nanoTime() + workNanos;
        for (long left = workNanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static long workNanos() {
        return workNanos;
    }

    /** @return every handling, duplicates included */
    static long handled() {
        return handled.get();
    }

    static long intendedAt(int n) {
        return intended.get(n);
    }

    static long acceptedAt(int n) {
        return accepted.get(n);
    }

    static long startedAt(int n) {
        return started.get(n);
    }

    static int count(int n) {
        return counts.get(n);
    }
}
