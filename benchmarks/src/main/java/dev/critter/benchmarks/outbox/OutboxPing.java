package dev.critter.benchmarks.outbox;

/**
 * The benchmark's message.
 * @param n its number in the round
 */
public record OutboxPing(int n) {
}
