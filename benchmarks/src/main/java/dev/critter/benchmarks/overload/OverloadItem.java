package dev.critter.benchmarks.overload;

/**
 * The message of {@code OverloadBenchmark}.
 * @param n its number within the phase, the index of its entries in {@link LoadLog}
 */
public record OverloadItem(int n) {
}
