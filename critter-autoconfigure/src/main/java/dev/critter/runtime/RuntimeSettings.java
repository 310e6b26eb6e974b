package dev.critter.runtime;

import java.time.Duration;
import java.util.List;

/**
 * Critter's resolved settings, fixed at start-up. Each transport has its own (local queues:
 * {@code LocalTransportSettings}).
 * @param basePackages packages scanned for handlers
 * @param serviceName the name written as {@code source} on envelopes
 * @param invokeTimeout how long request/reply waits for a reply
 * @param shutdownTimeout how long shutdown waits for handlers to drain
 * @param defaultRetryCooldowns cooldowns of the default error policy (one retry each)
 */
public record RuntimeSettings(List<String> basePackages, String serviceName, Duration invokeTimeout,
                              Duration shutdownTimeout, List<Duration> defaultRetryCooldowns) {

    /**
     * Copies the collections.
     * @param basePackages packages scanned for handlers
     * @param serviceName the name written as {@code source} on envelopes
     * @param invokeTimeout how long request/reply waits for a reply
     * @param shutdownTimeout how long shutdown waits for handlers to drain
     * @param defaultRetryCooldowns cooldowns of the default error policy (one retry each)
     */
    public RuntimeSettings {
        basePackages = List.copyOf(basePackages);
        defaultRetryCooldowns = List.copyOf(defaultRetryCooldowns);
    }
}
