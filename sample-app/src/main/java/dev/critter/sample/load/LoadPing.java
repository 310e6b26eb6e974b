package dev.critter.sample.load;

/**
 * One message of the load run.
 * @param sequence its position in the run, from 0
 * @param publishedAtNanos {@link System#nanoTime()} just before it was published
 */
public record LoadPing(int sequence, long publishedAtNanos) {
}
