package dev.critter.benchmarks.noop;

/**
 * The benchmark message; its conventional local queue is {@code ping}.
 * @param sequence the message's position in its batch
 */
public record Ping(int sequence) {
}
