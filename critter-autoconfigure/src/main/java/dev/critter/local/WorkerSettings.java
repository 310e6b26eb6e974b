package dev.critter.local;

import java.time.Duration;
import java.util.Objects;

/**
 * How local queues run their workers, the same for every queue of an application.
 *
 * <p>Workers start on demand, when a message arrives and no worker of its queue is free, up to the
 * queue's parallelism, and retire after {@code idleTimeout} without work: a queue that has nothing to
 * do holds no thread. A worker that finds no work first spins for {@code spin}, watching for a
 * sender to hand it the next message, and only then parks: waking a parked thread costs the sender
 * a system call, more than a whole publish, whenever workers outrun their publishers.
 *
 * @param idleTimeout how long a worker waits for work before it retires; positive
 * @param virtualThreads whether workers are virtual threads (Java 21+; ignored with a warning on
 *                       older runtimes) instead of daemon platform threads
 * @param spin how long a worker that found no work spins before it parks; zero to park at once.
 *             At most one worker per queue spins at a time, only while spins pay off (after one
 *             ends empty-handed, workers park at once until one is woken within a spin's time of
 *             parking), and virtual threads never spin
 *             ({@code critter.local.worker-spin} allows up to 10 ms: a longer spin holds a core
 *             for nothing)
 */
public record WorkerSettings(Duration idleTimeout, boolean virtualThreads, Duration spin) {

    /** The idle timeout when none is configured. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** The spin when none is configured: longer than the gap between two publishes of a busy publisher, far shorter than a scheduler's time slice. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);

    /**
     * Checks the timeout and the spin.
     * @param idleTimeout how long a worker waits for work before it retires; positive
     * @param virtualThreads whether workers are virtual threads (Java 21+; ignored with a warning on older runtimes) instead of daemon platform threads
     * @param spin how long a worker that found no work spins before it parks; not negative
     */
    public WorkerSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(spin, "spin");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("Worker idle timeout must be positive, was " + idleTimeout);
        }
        if (spin.isNegative()) {
            throw new IllegalArgumentException("Worker spin must not be negative, was " + spin);
        }
    }

    /**
     * Workers that spin for {@link #DEFAULT_SPIN} before they park.
     * @param idleTimeout how long a worker waits for work before it retires; positive
     * @param virtualThreads whether workers are virtual threads
     */
    public WorkerSettings(Duration idleTimeout, boolean virtualThreads) {
        this(idleTimeout, virtualThreads, DEFAULT_SPIN);
    }

    /**
     * Returns platform threads retiring after {@link #DEFAULT_IDLE_TIMEOUT} and spinning for {@link #DEFAULT_SPIN}.
     * @return platform threads retiring after {@link #DEFAULT_IDLE_TIMEOUT} and spinning for {@link #DEFAULT_SPIN}
     */
    public static WorkerSettings defaults() {
        return new WorkerSettings(DEFAULT_IDLE_TIMEOUT, false);
    }
}
