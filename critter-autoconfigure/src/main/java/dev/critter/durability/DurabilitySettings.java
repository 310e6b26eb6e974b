package dev.critter.durability;

import java.time.Duration;

/**
 * Resolved {@code critter.durability.*} timing and sizing, checked at start-up.
 * @param pollInterval how often the relay and the scheduled-message poller look for work they were not woken for
 * @param nodeHeartbeat how often this node records that it is alive
 * @param nodeLease how long a node may stay silent before live nodes take over its rows
 * @param deadLetterRetention how long dead letters are kept
 * @param handledRetention how long handled message ids are kept (the idempotent-receive window)
 * @param batchSize most rows one background statement claims, writes or deletes
 * @param backgroundConnections most database connections this node's background work holds at once
 */
public record DurabilitySettings(Duration pollInterval, Duration nodeHeartbeat, Duration nodeLease,
                                 Duration deadLetterRetention, Duration handledRetention, int batchSize,
                                 int backgroundConnections) {

    /** The defaults of SPEC §12: polls every second, heartbeats every 5 s, a 20 s lease. */
    public static final DurabilitySettings DEFAULTS = new DurabilitySettings(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(20), Duration.ofDays(14), Duration.ofDays(1), 500, 2);
}
