package dev.critter.benchmarks.durable;

/**
 * The message of {@code DurableQueueThroughput}.
 * @param n its number within the round
 */
public record BenchItem(int n) {
}
