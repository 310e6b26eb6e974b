package dev.critter.local;

import java.time.Duration;
import java.util.Set;

/**
 * The defaults local queues are planned with, resolved at start-up from {@code critter.local.*}.
 * @param defaultParallelism parallelism of queues that do not set one
 * @param defaultCapacity capacity of queues that do not set one
 * @param publishTimeout how long a publisher outside handlers waits on a full queue
 * @param queueNamesFromProperties queue names configured in properties; each must name a queue
 * @param workers how local queues start and retire their worker threads
 */
public record LocalTransportSettings(int defaultParallelism, int defaultCapacity, Duration publishTimeout,
                                     Set<String> queueNamesFromProperties, WorkerSettings workers) {

    /**
     * Copies the set.
     * @param defaultParallelism parallelism of queues that do not set one
     * @param defaultCapacity capacity of queues that do not set one
     * @param publishTimeout how long a publisher outside handlers waits on a full queue
     * @param queueNamesFromProperties queue names configured in properties; each must name a queue
     * @param workers how local queues start and retire their worker threads
     */
    public LocalTransportSettings {
        queueNamesFromProperties = Set.copyOf(queueNamesFromProperties);
    }
}
