package dev.critter.autoconfigure.durability;

import java.time.Duration;

import dev.critter.durability.DurabilitySettings;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Checks {@code critter.durability.*} timing and sizing at start-up, naming the key and the fix. */
final class DurabilitySettingsCheck {

    private DurabilitySettingsCheck() {
    }

    static DurabilitySettings resolve(DurabilityProperties p) {
        positive("critter.durability.poll-interval", p.getPollInterval());
        positive("critter.durability.node-heartbeat", p.getNodeHeartbeat());
        positive("critter.durability.node-lease", p.getNodeLease());
        positive("critter.durability.dead-letter-retention", p.getDeadLetterRetention());
        positive("critter.durability.handled-retention", p.getHandledRetention());
        positive("critter.durability.relay-lag-threshold", p.getRelayLagThreshold());
        if (p.getNodeLease().compareTo(p.getNodeHeartbeat().multipliedBy(2)) < 0) {
            // A lease shorter than two heartbeats declares a live node dead after one slow beat.
            throw new InvalidConfigurationPropertyValueException("critter.durability.node-lease", p.getNodeLease(),
                    "Must be at least twice critter.durability.node-heartbeat (" + p.getNodeHeartbeat()
                            + "), or live nodes are taken for dead after one late heartbeat.");
        }
        if (p.getBatchSize() < 1 || p.getBatchSize() > 10_000) {
            throw new InvalidConfigurationPropertyValueException("critter.durability.batch-size", p.getBatchSize(),
                    "Must be between 1 and 10000.");
        }
        if (p.getBackgroundConnections() < 1) {
            throw new InvalidConfigurationPropertyValueException("critter.durability.background-connections",
                    p.getBackgroundConnections(), "Must be at least 1.");
        }
        return new DurabilitySettings(p.getPollInterval(), p.getNodeHeartbeat(), p.getNodeLease(),
                p.getDeadLetterRetention(), p.getHandledRetention(), p.getBatchSize(), p.getBackgroundConnections());
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(key, value, "Must be positive, e.g. 1s.");
        }
    }
}
