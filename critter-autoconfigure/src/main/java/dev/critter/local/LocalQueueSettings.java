package dev.critter.local;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * The resolved, immutable settings of one local queue.
 *
 * <p>{@link LocalQueueMode#SEQUENTIAL} forces {@code parallelism} to 1 rather than rejecting
 * other values, because callers resolve a default parallelism (available processors) before they
 * know the queue is sequential. A {@code partitionKey} is required in
 * {@link LocalQueueMode#PARTITIONED} mode and rejected in the others, where it would be silently
 * ignored.
 *
 * @param name the queue name, also its address ({@code local://name}) and worker thread names
 * @param parallelism how many messages may be handled at once; at least 1
 * @param capacity how many messages may wait, not counting those being handled; at least 1
 * @param publishTimeout how long a publisher outside handlers waits for room before
 *                       {@link dev.critter.QueueFullException}; zero fails at once
 * @param mode the ordering mode
 * @param partitionKey extracts the ordering key in {@code PARTITIONED} mode; may return
 *                     {@code null} for "no ordering"
 */
public record LocalQueueSettings(String name, int parallelism, int capacity, Duration publishTimeout,
        LocalQueueMode mode, @Nullable Function<Envelope, @Nullable Object> partitionKey) {

    /**
     * Checks every value and forces sequential queues to a parallelism of 1.
     * @param name the queue name, also its address ({@code local://name}) and worker thread names
     * @param parallelism how many messages may be handled at once; at least 1
     * @param capacity how many messages may wait, not counting those being handled; at least 1
     * @param publishTimeout how long a publisher outside handlers waits for room before {@link dev.critter.QueueFullException}; zero fails at once
     * @param mode the ordering mode
     * @param partitionKey extracts the ordering key in {@code PARTITIONED} mode; may return {@code null} for "no ordering"
     */
    public LocalQueueSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Local queue name must not be blank, was '" + name + "'");
        }
        Objects.requireNonNull(mode, () -> "mode (queue '" + name + "')");
        Objects.requireNonNull(publishTimeout, () -> "publishTimeout (queue '" + name + "')");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism
                    + " (queue '" + name + "')");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity
                    + " (queue '" + name + "')");
        }
        if (publishTimeout.isNegative()) {
            throw new IllegalArgumentException("publishTimeout must not be negative, was " + publishTimeout
                    + " (queue '" + name + "')");
        }
        if (mode == LocalQueueMode.PARTITIONED && partitionKey == null) {
            throw new IllegalArgumentException("Local queue '" + name
                    + "' is PARTITIONED but has no partition key function; give one or use PARALLEL");
        }
        if (mode != LocalQueueMode.PARTITIONED && partitionKey != null) {
            throw new IllegalArgumentException("Local queue '" + name + "' is " + mode
                    + " but has a partition key function, which only PARTITIONED queues use");
        }
        if (mode == LocalQueueMode.SEQUENTIAL) {
            parallelism = 1;
        }
    }

    /**
     * Creates the settings of an unordered queue.
     * @param name the queue name
     * @param parallelism how many messages may be handled at once
     * @param capacity how many messages may wait
     * @param publishTimeout how long an outside publisher waits for room
     * @return the settings
     */
    public static LocalQueueSettings parallel(String name, int parallelism, int capacity, Duration publishTimeout) {
        return new LocalQueueSettings(name, parallelism, capacity, publishTimeout, LocalQueueMode.PARALLEL, null);
    }

    /**
     * Creates the settings of a strictly ordered queue, handling one message at a time.
     * @param name the queue name
     * @param capacity how many messages may wait
     * @param publishTimeout how long an outside publisher waits for room
     * @return the settings
     */
    public static LocalQueueSettings sequential(String name, int capacity, Duration publishTimeout) {
        return new LocalQueueSettings(name, 1, capacity, publishTimeout, LocalQueueMode.SEQUENTIAL, null);
    }

    /**
     * Creates the settings of a queue ordered per key.
     * @param name the queue name
     * @param parallelism how many different keys may be handled at once
     * @param capacity how many messages may wait
     * @param publishTimeout how long an outside publisher waits for room
     * @param partitionKey extracts the ordering key; {@code null} keys are not ordered
     * @return the settings
     */
    public static LocalQueueSettings partitioned(String name, int parallelism, int capacity, Duration publishTimeout,
            Function<Envelope, @Nullable Object> partitionKey) {
        return new LocalQueueSettings(name, parallelism, capacity, publishTimeout, LocalQueueMode.PARTITIONED,
                partitionKey);
    }
}
