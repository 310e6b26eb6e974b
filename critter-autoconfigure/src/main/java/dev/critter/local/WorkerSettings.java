package dev.critter.local;

import java.time.Duration;
import java.util.Objects;

/**
 * How local queues run their workers, the same for every queue of an application.
 *
 * <p>Workers start on demand, when a message arrives and no worker of its queue is free, up to the
 * queue's parallelism, and retire after {@code idleTimeout} without work: a queue that has nothing to
 * do holds no thread.
 *
 * @param idleTimeout how long a worker waits for work before it retires; positive
 * @param virtualThreads whether workers are virtual threads (Java 21+; ignored with a warning on
 *                       older runtimes) instead of daemon platform threads
 */
public record WorkerSettings(Duration idleTimeout, boolean virtualThreads) {

    /** The idle timeout when none is configured. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Checks the timeout.
     * @param idleTimeout how long a worker waits for work before it retires; positive
     * @param virtualThreads whether workers are virtual threads (Java 21+; ignored with a warning on older runtimes) instead of daemon platform threads
     */
    public WorkerSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("Worker idle timeout must be positive, was " + idleTimeout);
        }
    }

    /**
     * Returns platform threads retiring after {@link #DEFAULT_IDLE_TIMEOUT}.
     * @return platform threads retiring after {@link #DEFAULT_IDLE_TIMEOUT}
     */
    public static WorkerSettings defaults() {
        return new WorkerSettings(DEFAULT_IDLE_TIMEOUT, false);
    }
}
