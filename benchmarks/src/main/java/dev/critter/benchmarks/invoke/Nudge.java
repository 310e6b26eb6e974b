package dev.critter.benchmarks.invoke;

/**
 * A message whose handler returns nothing.
 * @param value any number
 */
public record Nudge(int value) {
}
