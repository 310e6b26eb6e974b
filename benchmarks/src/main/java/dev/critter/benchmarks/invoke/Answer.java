package dev.critter.benchmarks.invoke;

/**
 * The reply to a {@link Question}.
 * @param value the question's number
 */
public record Answer(int value) {
}
