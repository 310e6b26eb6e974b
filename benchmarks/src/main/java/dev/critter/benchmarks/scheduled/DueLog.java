package dev.critter.benchmarks.scheduled;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the handler saw in the current round: how often each number came, and its lateness. */
final class DueLog {

    private static volatile AtomicIntegerArray counts = new AtomicIntegerArray(0);
    private static volatile AtomicLongArray startedNanos = new AtomicLongArray(0);
    private static volatile AtomicLongArray latenessMicros = new AtomicLongArray(0);
    private static final AtomicInteger handled = new AtomicInteger();

    private DueLog() {
    }

    static void reset(int size) {
        counts = new AtomicIntegerArray(size);
        startedNanos = new AtomicLongArray(size);
        latenessMicros = new AtomicLongArray(size);
        handled.set(0);
    }

    static void record(int n, Instant due) {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        if (counts.getAndIncrement(n) == 0) {
            startedNanos.set(n, nanos);
            latenessMicros.set(n, java.time.Duration.between(due, now).toNanos() / 1000);
        }
        handled.incrementAndGet();
    }

    static int handled() {
        return handled.get();
    }

    static int duplicates() {
        int duplicates = 0;
        for (int i = 0; i < counts.length(); i++) {
            duplicates += Math.max(0, counts.get(i) - 1);
        }
        return duplicates;
    }

    static int distinct() {
        int distinct = 0;
        for (int i = 0; i < counts.length(); i++) {
            distinct += counts.get(i) > 0 ? 1 : 0;
        }
        return distinct;
    }

    static long lastStartNanos() {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < startedNanos.length(); i++) {
            last = Math.max(last, startedNanos.get(i));
        }
        return last;
    }

    static long[] latenessMicros() {
        long[] values = new long[latenessMicros.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = latenessMicros.get(i);
        }
        return values;
    }
}
