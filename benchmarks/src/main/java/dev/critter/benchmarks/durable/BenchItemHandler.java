package dev.critter.benchmarks.durable;

import dev.critter.benchmarks.noop.HandledCount;

/** A no-op handler that only counts, on the durable queue {@code bench-item}. */
public class BenchItemHandler {

    /** Counted here; the benchmark awaits it. */
    public static final HandledCount COUNT = new HandledCount();

    /**
     * Counts the item.
     * @param item the message
     */
    public void handle(BenchItem item) {
        COUNT.countOne();
    }
}
