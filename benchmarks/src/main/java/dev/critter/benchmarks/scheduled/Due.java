package dev.critter.benchmarks.scheduled;

/**
 * A scheduled message of the scheduling benchmarks.
 * @param n its number, 0 to the count of a round minus one
 */
public record Due(int n) {
}
