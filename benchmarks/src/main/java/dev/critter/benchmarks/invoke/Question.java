package dev.critter.benchmarks.invoke;

/**
 * A request whose handler returns an {@link Answer}.
 * @param value the number to answer
 */
public record Question(int value) {
}
