package dev.critter;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one RabbitMQ queue listener, declared by {@link CritterOptions#listenToRabbitQueue}
 * or {@code critter.rabbitmq.listeners[*]}. Unset values fall back to
 * {@code critter.rabbitmq.default-parallelism} and {@code critter.rabbitmq.default-prefetch}.
 */
public final class RabbitQueueListenerConfiguration {

    private final String queue;
    private @Nullable Integer parallelism;
    private @Nullable Integer prefetch;
    private @Nullable String defaultMessageType;
    private boolean durable;

    RabbitQueueListenerConfiguration(String queue) {
        this.queue = queue;
    }

    /**
     * Returns a listener with default settings for a queue made by conventional routing.
     * @param queue the conventional queue, named after a handled message type
     * @return the listener's configuration
     */
    public static RabbitQueueListenerConfiguration conventional(String queue) {
        return new RabbitQueueListenerConfiguration(queue);
    }

    /**
     * Sets how many deliveries are handled at once.
     * @param parallelism at least 1
     * @return this configuration, for chaining
     */
    public RabbitQueueListenerConfiguration parallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism of Rabbit listener '" + queue + "' must be at least 1, was "
                    + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    /**
     * Sets how many unacknowledged deliveries the broker sends ahead (AMQP {@code basic.qos}).
     * @param prefetch at least 1
     * @return this configuration, for chaining
     */
    public RabbitQueueListenerConfiguration prefetch(int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch of Rabbit listener '" + queue + "' must be at least 1, was "
                    + prefetch);
        }
        this.prefetch = prefetch;
        return this;
    }

    /**
     * Sets the message type name assumed for deliveries without a type (from non-Critter publishers).
     * @param messageType a registered message type name (fully qualified class name or {@code @MessageIdentity} alias)
     * @return this configuration, for chaining
     */
    public RabbitQueueListenerConfiguration defaultMessageType(String messageType) {
        Objects.requireNonNull(messageType, "messageType");
        this.defaultMessageType = messageType;
        return this;
    }

    /**
     * Makes the listener durable (inbox-backed; needs PostgreSQL durability): deliveries are stored
     * in the inbox in batches, one transaction per batch, acknowledged once that committed, and
     * handled from there with the guarantees of a durable local queue (a crash loses nothing, a
     * redelivered id is dropped, a transactional handler's mark commits with its work).
     * @return this configuration, for chaining
     */
    public RabbitQueueListenerConfiguration durable() {
        this.durable = true;
        return this;
    }

    /**
     * Returns whether the listener is durable (inbox-backed) rather than buffered.
     * @return whether the listener is durable (inbox-backed) rather than buffered
     */
    public boolean isDurable() {
        return durable;
    }

    /**
     * Returns the queue listened to.
     * @return the queue listened to
     */
    public String queue() {
        return queue;
    }

    /**
     * Returns the parallelism, or {@code null} for the default.
     * @return the parallelism, or {@code null} for the default
     */
    public @Nullable Integer parallelism() {
        return parallelism;
    }

    /**
     * Returns the prefetch, or {@code null} for the default.
     * @return the prefetch, or {@code null} for the default
     */
    public @Nullable Integer prefetch() {
        return prefetch;
    }

    /**
     * Returns the type assumed for deliveries without one, or {@code null} when such deliveries are dead-lettered.
     * @return the type assumed for deliveries without one, or {@code null} when such deliveries are dead-lettered
     */
    public @Nullable String defaultMessageType() {
        return defaultMessageType;
    }
}
