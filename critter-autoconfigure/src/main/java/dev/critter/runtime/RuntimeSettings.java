package dev.critter.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.critter.local.WorkerSettings;

/**
 * Critter's resolved settings, fixed at start-up.
 * @param basePackages packages scanned for handlers
 * @param serviceName the name written as {@code source} on envelopes
 * @param defaultParallelism parallelism of queues that do not set one
 * @param defaultCapacity capacity of queues that do not set one
 * @param publishTimeout how long a publisher outside handlers waits on a full queue
 * @param invokeTimeout how long request/reply waits for a reply
 * @param shutdownTimeout how long shutdown waits for handlers to drain
 * @param defaultRetryCooldowns cooldowns of the default error policy (one retry each)
 * @param queueNamesFromProperties queue names configured in properties, each must name a queue
 * @param localWorkers how local queues start and retire their worker threads
 */
public record RuntimeSettings(List<String> basePackages, String serviceName, int defaultParallelism,
                              int defaultCapacity, Duration publishTimeout, Duration invokeTimeout,
                              Duration shutdownTimeout, List<Duration> defaultRetryCooldowns,
                              Set<String> queueNamesFromProperties, WorkerSettings localWorkers) {

    /** Copies the collections. */
    public RuntimeSettings {
        basePackages = List.copyOf(basePackages);
        defaultRetryCooldowns = List.copyOf(defaultRetryCooldowns);
        queueNamesFromProperties = Set.copyOf(queueNamesFromProperties);
    }
}
