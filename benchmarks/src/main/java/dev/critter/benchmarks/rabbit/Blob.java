package dev.critter.benchmarks.rabbit;

/**
 * The benchmark's message: about 1 KB of JSON.
 * @param data the payload text
 */
public record Blob(String data) {
}
