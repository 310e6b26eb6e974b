package dev.critter.durability.outbox.crash;

/**
 * The message of the crash test.
 * @param n its number, unique in a run
 */
public record CrashPing(int n) {
}
