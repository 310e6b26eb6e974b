package dev.critter.autoconfigure.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Critter's RabbitMQ settings under {@code critter.rabbitmq.*}. The broker connection itself is
 * Spring Boot's, configured under {@code spring.rabbitmq.*}.
 */
@ConfigurationProperties("critter.rabbitmq")
public class CritterRabbitProperties {

    /** Whether Critter uses RabbitMQ (needs spring-rabbit, e.g. spring-boot-starter-amqp, on the classpath). */
    private boolean enabled = false;

    /** Whether start-up declares the exchanges, queues, bindings and dead-letter queues Critter uses. */
    private boolean autoProvision = true;

    /** Handlers a listener runs at once when it sets no parallelism; default: available processors, at least 2. */
    private @Nullable Integer defaultParallelism;

    /** Unacknowledged deliveries the broker sends a listener ahead when it sets no prefetch (never below its parallelism). */
    private int defaultPrefetch = 100;

    /** Messages waiting for the publisher before publishers wait (up to critter.rabbitmq.publish-timeout). */
    private int publisherCapacity = 10_000;

    /** Half the messages the publisher keeps published and awaiting their confirms at once. */
    private int confirmBatch = 100;

    /** How long messages may await their confirms, none coming, before they are published again. */
    private Duration confirmTimeout = Duration.ofSeconds(30);

    /** How long a publish waits for room in the publisher's buffer before it fails. */
    private Duration publishTimeout = Duration.ofSeconds(30);

    /**
     * Longest pause between two attempts to consume or publish again while the broker is away (attempts start
     * at 100 ms and double); also how often a watchdog checks that every listener still consumes.
     */
    private Duration recoveryInterval = Duration.ofSeconds(5);

    /**
     * Whether message types no publishing rule matches go to a fanout exchange named after their message type
     * name, and each handled type gets a queue of that name, bound to it and listened to.
     */
    private boolean conventionalRouting = false;

    /** Queues to listen to: their deliveries go to the handlers of their message type. */
    private List<Listener> listeners = new ArrayList<>();

    /**
     * Whether Critter uses RabbitMQ.
     * @return the value of {@code critter.rabbitmq.enabled}
     */
    public boolean isEnabled() { return enabled; }

    /**
     * Sets {@code critter.rabbitmq.enabled}.
     * @param enabled whether Critter uses RabbitMQ
     */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    /**
     * Whether start-up declares what Critter uses on the broker.
     * @return the value of {@code critter.rabbitmq.auto-provision}
     */
    public boolean isAutoProvision() { return autoProvision; }

    /**
     * Sets {@code critter.rabbitmq.auto-provision}.
     * @param autoProvision whether start-up declares what Critter uses on the broker
     */
    public void setAutoProvision(boolean autoProvision) { this.autoProvision = autoProvision; }

    /**
     * Handlers a listener runs at once by default.
     * @return the value of {@code critter.rabbitmq.default-parallelism}, or null for the processor count
     */
    public @Nullable Integer getDefaultParallelism() { return defaultParallelism; }

    /**
     * Sets {@code critter.rabbitmq.default-parallelism}.
     * @param defaultParallelism handlers a listener runs at once by default
     */
    public void setDefaultParallelism(@Nullable Integer defaultParallelism) { this.defaultParallelism = defaultParallelism; }

    /**
     * Deliveries the broker sends a listener ahead by default.
     * @return the value of {@code critter.rabbitmq.default-prefetch}
     */
    public int getDefaultPrefetch() { return defaultPrefetch; }

    /**
     * Sets {@code critter.rabbitmq.default-prefetch}.
     * @param defaultPrefetch deliveries the broker sends a listener ahead by default
     */
    public void setDefaultPrefetch(int defaultPrefetch) { this.defaultPrefetch = defaultPrefetch; }

    /**
     * Messages waiting for the publisher before publishers wait.
     * @return the value of {@code critter.rabbitmq.publisher-capacity}
     */
    public int getPublisherCapacity() { return publisherCapacity; }

    /**
     * Sets {@code critter.rabbitmq.publisher-capacity}.
     * @param publisherCapacity messages waiting for the publisher before publishers wait
     */
    public void setPublisherCapacity(int publisherCapacity) { this.publisherCapacity = publisherCapacity; }

    /**
     * Half the messages kept published and awaiting their confirms at once.
     * @return the value of {@code critter.rabbitmq.confirm-batch}
     */
    public int getConfirmBatch() { return confirmBatch; }

    /**
     * Sets {@code critter.rabbitmq.confirm-batch}.
     * @param confirmBatch half the messages kept published and awaiting their confirms at once
     */
    public void setConfirmBatch(int confirmBatch) { this.confirmBatch = confirmBatch; }

    /**
     * How long messages may await their confirms, none coming.
     * @return the value of {@code critter.rabbitmq.confirm-timeout}
     */
    public Duration getConfirmTimeout() { return confirmTimeout; }

    /**
     * Sets {@code critter.rabbitmq.confirm-timeout}.
     * @param confirmTimeout how long messages may await their confirms, none coming
     */
    public void setConfirmTimeout(Duration confirmTimeout) { this.confirmTimeout = confirmTimeout; }

    /**
     * How long a publish waits for room in the publisher's buffer.
     * @return the value of {@code critter.rabbitmq.publish-timeout}
     */
    public Duration getPublishTimeout() { return publishTimeout; }

    /**
     * Sets {@code critter.rabbitmq.publish-timeout}.
     * @param publishTimeout how long a publish waits for room in the publisher's buffer
     */
    public void setPublishTimeout(Duration publishTimeout) { this.publishTimeout = publishTimeout; }

    /**
     * Longest pause between recovery attempts, and the watchdog's period.
     * @return the value of {@code critter.rabbitmq.recovery-interval}
     */
    public Duration getRecoveryInterval() { return recoveryInterval; }

    /**
     * Sets {@code critter.rabbitmq.recovery-interval}.
     * @param recoveryInterval longest pause between recovery attempts, and the watchdog's period
     */
    public void setRecoveryInterval(Duration recoveryInterval) { this.recoveryInterval = recoveryInterval; }

    /**
     * Whether RabbitMQ routes by convention.
     * @return the value of {@code critter.rabbitmq.conventional-routing}
     */
    public boolean isConventionalRouting() { return conventionalRouting; }

    /**
     * Sets {@code critter.rabbitmq.conventional-routing}.
     * @param conventionalRouting whether RabbitMQ routes by convention
     */
    public void setConventionalRouting(boolean conventionalRouting) { this.conventionalRouting = conventionalRouting; }

    /**
     * Queues to listen to.
     * @return the value of {@code critter.rabbitmq.listeners}
     */
    public List<Listener> getListeners() { return listeners; }

    /**
     * Sets {@code critter.rabbitmq.listeners}.
     * @param listeners queues to listen to
     */
    public void setListeners(List<Listener> listeners) { this.listeners = listeners; }

    /** One queue listener, {@code critter.rabbitmq.listeners[i]}. */
    public static class Listener {

        /** The queue to listen to. */
        private @Nullable String queue;

        /** Handlers run at once for this queue; default critter.rabbitmq.default-parallelism. */
        private @Nullable Integer parallelism;

        /** Unacknowledged deliveries the broker sends ahead; default critter.rabbitmq.default-prefetch. */
        private @Nullable Integer prefetch;

        /** Message type name assumed for deliveries without a type header or AMQP type (from non-Critter publishers). */
        private @Nullable String defaultMessageType;

        /**
         * Store deliveries in the PostgreSQL inbox (batched, acknowledged after the commit) and handle them
         * from there, as a durable local queue does; needs durability. Default false: buffered in memory.
         */
        private boolean durable;

        /**
         * The queue to listen to.
         * @return the value of {@code queue}
         */
        public @Nullable String getQueue() { return queue; }

        /**
         * Sets the queue to listen to.
         * @param queue the queue
         */
        public void setQueue(@Nullable String queue) { this.queue = queue; }

        /**
         * Handlers run at once for this queue.
         * @return the value of {@code parallelism}
         */
        public @Nullable Integer getParallelism() { return parallelism; }

        /**
         * Sets the handlers run at once for this queue.
         * @param parallelism at least 1
         */
        public void setParallelism(@Nullable Integer parallelism) { this.parallelism = parallelism; }

        /**
         * Unacknowledged deliveries the broker sends ahead.
         * @return the value of {@code prefetch}
         */
        public @Nullable Integer getPrefetch() { return prefetch; }

        /**
         * Sets the unacknowledged deliveries the broker sends ahead.
         * @param prefetch at least 1
         */
        public void setPrefetch(@Nullable Integer prefetch) { this.prefetch = prefetch; }

        /**
         * Message type name assumed for deliveries without one.
         * @return the value of {@code default-message-type}
         */
        public @Nullable String getDefaultMessageType() { return defaultMessageType; }

        /**
         * Sets the message type name assumed for deliveries without one.
         * @param defaultMessageType a registered message type name
         */
        public void setDefaultMessageType(@Nullable String defaultMessageType) { this.defaultMessageType = defaultMessageType; }

        /**
         * Whether deliveries are stored in the inbox before they are acknowledged.
         * @return the value of {@code durable}
         */
        public boolean isDurable() { return durable; }

        /**
         * Sets whether deliveries are stored in the inbox before they are acknowledged.
         * @param durable {@code true} for an inbox-backed listener (needs durability)
         */
        public void setDurable(boolean durable) { this.durable = durable; }
    }
}
