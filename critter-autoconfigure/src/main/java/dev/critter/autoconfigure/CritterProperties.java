package dev.critter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Critter's settings under {@code critter.*}. Java configuration ({@code CritterConfigurer}
 * beans) is applied after these and wins.
 */
@ConfigurationProperties("critter")
public class CritterProperties {

    /** Whether Critter is on. */
    private boolean enabled = true;

    /** Name written as the source of published envelopes; defaults to spring.application.name, else "critter". */
    private @Nullable String serviceName;

    /** How long shutdown waits for running handlers and queued local messages to drain. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    private final Handlers handlers = new Handlers();

    private final Local local = new Local();

    private final Invoke invoke = new Invoke();

    private final Errors errors = new Errors();

    private final DeadLetters deadLetters = new DeadLetters();

    private final Scheduling scheduling = new Scheduling();

    private final Metrics metrics = new Metrics();

    private final Logging logging = new Logging();

    /**
     * Whether Critter is on.
     * @return the value of {@code critter.enabled}
     */
    public boolean isEnabled() { return enabled; }

    /**
     * Sets {@code critter.enabled}.
     * @param enabled whether Critter is on
     */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    /**
     * Name written as the source of published envelopes; defaults to spring.application.name, else "critter".
     * @return the value of {@code critter.service-name}
     */
    public @Nullable String getServiceName() { return serviceName; }

    /**
     * Sets {@code critter.service-name}.
     * @param serviceName name written as the source of published envelopes; defaults to spring.application.name, else "critter"
     */
    public void setServiceName(@Nullable String serviceName) { this.serviceName = serviceName; }

    /**
     * How long shutdown waits for running handlers and queued local messages to drain.
     * @return the value of {@code critter.shutdown-timeout}
     */
    public Duration getShutdownTimeout() { return shutdownTimeout; }

    /**
     * Sets {@code critter.shutdown-timeout}.
     * @param shutdownTimeout how long shutdown waits for running handlers and queued local messages to drain
     */
    public void setShutdownTimeout(Duration shutdownTimeout) { this.shutdownTimeout = shutdownTimeout; }

    /**
     * The handler discovery settings.
     * @return the settings under {@code critter.handlers}
     */
    public Handlers getHandlers() { return handlers; }

    /**
     * The local queue settings.
     * @return the settings under {@code critter.local}
     */
    public Local getLocal() { return local; }

    /**
     * The request/reply settings.
     * @return the settings under {@code critter.invoke}
     */
    public Invoke getInvoke() { return invoke; }

    /**
     * The default error policy settings.
     * @return the settings under {@code critter.errors}
     */
    public Errors getErrors() { return errors; }

    /**
     * The dead-letter store settings.
     * @return the settings under {@code critter.dead-letters}
     */
    public DeadLetters getDeadLetters() { return deadLetters; }

    /**
     * The scheduling settings.
     * @return the settings under {@code critter.scheduling}
     */
    public Scheduling getScheduling() { return scheduling; }

    /**
     * The metrics settings.
     * @return the settings under {@code critter.metrics}
     */
    public Metrics getMetrics() { return metrics; }

    /**
     * The logging settings.
     * @return the settings under {@code critter.logging}
     */
    public Logging getLogging() { return logging; }

    /** Handler discovery. */
    public static class Handlers {

        /** Packages scanned for handler classes (sub-packages included); defaults to the @SpringBootApplication package. */
        private List<String> basePackages = new ArrayList<>();

        /**
         * Packages scanned for handler classes (sub-packages included); defaults to the @SpringBootApplication package.
         * @return the value of {@code critter.handlers.base-packages}
         */
        public List<String> getBasePackages() { return basePackages; }

        /**
         * Sets {@code critter.handlers.base-packages}.
         * @param basePackages packages scanned for handler classes (sub-packages included); defaults to the @SpringBootApplication package
         */
        public void setBasePackages(List<String> basePackages) { this.basePackages = basePackages; }
    }

    /** Local in-memory queues. */
    public static class Local {

        /** Capacity (waiting messages) of queues that do not set one. */
        private int defaultCapacity = 10_000;

        /** Parallelism of queues that do not set one; defaults to the number of available processors. */
        private @Nullable Integer defaultParallelism;

        /** How long a publisher outside handlers waits on a full queue before QueueFullException. */
        private Duration publishTimeout = Duration.ofSeconds(30);

        /**
         * How long a local queue's worker waits for work before its thread retires; workers start
         * again on demand, up to the queue's parallelism.
         */
        private Duration workerIdleTimeout = Duration.ofSeconds(60);

        /**
         * How long a local queue's worker that found no work spins, watching for the next message,
         * before its thread parks; 0 parks at once. At most one worker per queue spins at a time,
         * and virtual threads never spin.
         */
        private Duration workerSpin = Duration.ofNanos(50_000); // WorkerSettings.DEFAULT_SPIN, written out for the metadata

        /**
         * Settings per queue name (conventional queue names are the message type's simple name in
         * kebab-case), each with the keys parallelism, sequential, capacity, durable and partition-by,
         * e.g. critter.local.queues.sign-up-request.parallelism=8.
         */
        private Map<String, Queue> queues = new LinkedHashMap<>();

        /**
         * Capacity (waiting messages) of queues that do not set one.
         * @return the value of {@code critter.local.default-capacity}
         */
        public int getDefaultCapacity() { return defaultCapacity; }

        /**
         * Sets {@code critter.local.default-capacity}.
         * @param defaultCapacity capacity (waiting messages) of queues that do not set one
         */
        public void setDefaultCapacity(int defaultCapacity) { this.defaultCapacity = defaultCapacity; }

        /**
         * Parallelism of queues that do not set one; defaults to the number of available processors.
         * @return the value of {@code critter.local.default-parallelism}
         */
        public @Nullable Integer getDefaultParallelism() { return defaultParallelism; }

        /**
         * Sets {@code critter.local.default-parallelism}.
         * @param defaultParallelism parallelism of queues that do not set one; defaults to the number of available processors
         */
        public void setDefaultParallelism(@Nullable Integer defaultParallelism) { this.defaultParallelism = defaultParallelism; }

        /**
         * How long a publisher outside handlers waits on a full queue before QueueFullException.
         * @return the value of {@code critter.local.publish-timeout}
         */
        public Duration getPublishTimeout() { return publishTimeout; }

        /**
         * Sets {@code critter.local.publish-timeout}.
         * @param publishTimeout how long a publisher outside handlers waits on a full queue before QueueFullException
         */
        public void setPublishTimeout(Duration publishTimeout) { this.publishTimeout = publishTimeout; }

        /**
         * How long a local queue's worker waits for work before its thread retires.
         * @return the value of {@code critter.local.worker-idle-timeout}
         */
        public Duration getWorkerIdleTimeout() { return workerIdleTimeout; }

        /**
         * Sets {@code critter.local.worker-idle-timeout}.
         * @param workerIdleTimeout how long a local queue's worker waits for work before its thread retires
         */
        public void setWorkerIdleTimeout(Duration workerIdleTimeout) { this.workerIdleTimeout = workerIdleTimeout; }

        /**
         * How long a local queue's worker that found no work spins before its thread parks.
         * @return the value of {@code critter.local.worker-spin}
         */
        public Duration getWorkerSpin() { return workerSpin; }

        /**
         * Sets {@code critter.local.worker-spin}.
         * @param workerSpin how long a worker that found no work spins before it parks; 0 parks at once
         */
        public void setWorkerSpin(Duration workerSpin) { this.workerSpin = workerSpin; }

        /**
         * Settings per queue name (conventional queue names are the message type's simple name in kebab-case).
         * @return the value of {@code critter.local.queues}
         */
        public Map<String, Queue> getQueues() { return queues; }

        /**
         * Sets {@code critter.local.queues}.
         * @param queues settings per queue name (conventional queue names are the message type's simple name in kebab-case)
         */
        public void setQueues(Map<String, Queue> queues) { this.queues = queues; }
    }

    /** One local queue's settings. */
    public static class Queue {

        /** Maximum handlers of this queue running at once. */
        private @Nullable Integer parallelism;

        /** Handle one message at a time, in publish order. */
        private @Nullable Boolean sequential;

        /** Maximum messages waiting (not counting those being handled). */
        private @Nullable Integer capacity;

        /** Back the queue with the PostgreSQL inbox so messages survive a restart (needs durability). */
        private @Nullable Boolean durable;

        /** Record component or getter whose value orders messages per key (same key: one at a time, in order). */
        private @Nullable String partitionBy;

        /**
         * Maximum handlers of this queue running at once.
         * @return the value of {@code critter.local.queues.<name>.parallelism}
         */
        public @Nullable Integer getParallelism() { return parallelism; }

        /**
         * Sets {@code critter.local.queues.<name>.parallelism}.
         * @param parallelism maximum handlers of this queue running at once
         */
        public void setParallelism(@Nullable Integer parallelism) { this.parallelism = parallelism; }

        /**
         * Handle one message at a time, in publish order.
         * @return the value of {@code critter.local.queues.<name>.sequential}
         */
        public @Nullable Boolean getSequential() { return sequential; }

        /**
         * Sets {@code critter.local.queues.<name>.sequential}.
         * @param sequential handle one message at a time, in publish order
         */
        public void setSequential(@Nullable Boolean sequential) { this.sequential = sequential; }

        /**
         * Maximum messages waiting (not counting those being handled).
         * @return the value of {@code critter.local.queues.<name>.capacity}
         */
        public @Nullable Integer getCapacity() { return capacity; }

        /**
         * Sets {@code critter.local.queues.<name>.capacity}.
         * @param capacity maximum messages waiting (not counting those being handled)
         */
        public void setCapacity(@Nullable Integer capacity) { this.capacity = capacity; }

        /**
         * Back the queue with the PostgreSQL inbox so messages survive a restart (needs durability).
         * @return the value of {@code critter.local.queues.<name>.durable}
         */
        public @Nullable Boolean getDurable() { return durable; }

        /**
         * Sets {@code critter.local.queues.<name>.durable}.
         * @param durable back the queue with the PostgreSQL inbox so messages survive a restart (needs durability)
         */
        public void setDurable(@Nullable Boolean durable) { this.durable = durable; }

        /**
         * Record component or getter whose value orders messages per key (same key: one at a time, in order).
         * @return the value of {@code critter.local.queues.<name>.partition-by}
         */
        public @Nullable String getPartitionBy() { return partitionBy; }

        /**
         * Sets {@code critter.local.queues.<name>.partition-by}.
         * @param partitionBy record component or getter whose value orders messages per key (same key: one at a time, in order)
         */
        public void setPartitionBy(@Nullable String partitionBy) { this.partitionBy = partitionBy; }
    }

    /** Request/reply. */
    public static class Invoke {

        /** How long invokeAsync with a response type (request/reply) waits for the reply. */
        private Duration timeout = Duration.ofSeconds(5);

        /**
         * How long invokeAsync with a response type (request/reply) waits for the reply.
         * @return the value of {@code critter.invoke.timeout}
         */
        public Duration getTimeout() { return timeout; }

        /**
         * Sets {@code critter.invoke.timeout}.
         * @param timeout how long invokeAsync with a response type (request/reply) waits for the reply
         */
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
    }

    /** The default error policy (applies when no onException rule matches). */
    public static class Errors {

        /** Cooldowns of the default policy: one retry after each (jittered up to +20%), then dead letter. */
        private List<Duration> retryCooldowns = new ArrayList<>(List.of(Duration.ofMillis(50), Duration.ofMillis(100)));

        /**
         * Cooldowns of the default policy: one retry after each (jittered up to +20%), then dead letter.
         * @return the value of {@code critter.errors.retry-cooldowns}
         */
        public List<Duration> getRetryCooldowns() { return retryCooldowns; }

        /**
         * Sets {@code critter.errors.retry-cooldowns}.
         * @param retryCooldowns cooldowns of the default policy: one retry after each (jittered up to +20%), then dead letter
         */
        public void setRetryCooldowns(List<Duration> retryCooldowns) { this.retryCooldowns = retryCooldowns; }
    }

    /** The dead-letter store. */
    public static class DeadLetters {

        /** How many dead letters the in-memory store keeps (used without a database); oldest are evicted first. */
        private int inMemoryCapacity = 1_000;

        /**
         * How many dead letters the in-memory store keeps (used without a database); oldest are evicted first.
         * @return the value of {@code critter.dead-letters.in-memory-capacity}
         */
        public int getInMemoryCapacity() { return inMemoryCapacity; }

        /**
         * Sets {@code critter.dead-letters.in-memory-capacity}.
         * @param inMemoryCapacity how many dead letters the in-memory store keeps (used without a database); oldest are evicted first
         */
        public void setInMemoryCapacity(int inMemoryCapacity) { this.inMemoryCapacity = inMemoryCapacity; }
    }

    /** Scheduled and delayed messages. */
    public static class Scheduling {

        /** How many scheduled messages the in-memory scheduler holds at once (used without a database). */
        private int inMemoryCapacity = 100_000;

        /**
         * How many scheduled messages the in-memory scheduler holds at once (used without a database).
         * @return the value of {@code critter.scheduling.in-memory-capacity}
         */
        public int getInMemoryCapacity() { return inMemoryCapacity; }

        /**
         * Sets {@code critter.scheduling.in-memory-capacity}.
         * @param inMemoryCapacity how many scheduled messages the in-memory scheduler holds at once (used without a database)
         */
        public void setInMemoryCapacity(int inMemoryCapacity) { this.inMemoryCapacity = inMemoryCapacity; }
    }

    /** Micrometer metrics. */
    public static class Metrics {

        /** Whether meters carry a tenant tag: one series per tenant, so off unless tenants are few. */
        private boolean tenantTag = false;

        /**
         * Whether meters carry a tenant tag: one series per tenant, so off unless tenants are few.
         * @return the value of {@code critter.metrics.tenant-tag}
         */
        public boolean isTenantTag() { return tenantTag; }

        /**
         * Sets {@code critter.metrics.tenant-tag}.
         * @param tenantTag whether meters carry a tenant tag: one series per tenant, so off unless tenants are few
         */
        public void setTenantTag(boolean tenantTag) { this.tenantTag = tenantTag; }
    }

    /** Logging. */
    public static class Logging {

        /**
         * Which handlers run with the message id, type, handler and tenant in the logging MDC:
         * those on queue workers when the logging configuration writes Critter's keys (auto, the
         * default), those on queue workers (queued), all (inline invoke too), or none.
         */
        private Mdc mdc = Mdc.AUTO;

        /**
         * Which handlers run with the message's entries in the MDC.
         * @return the value of {@code critter.logging.mdc}
         */
        public Mdc getMdc() { return mdc; }

        /**
         * Sets {@code critter.logging.mdc}.
         * @param mdc which handlers run with the message's entries in the MDC
         */
        public void setMdc(Mdc mdc) { this.mdc = mdc; }
    }

    /** Which handlers run with the message's entries in the logging MDC. */
    public enum Mdc {
        /**
         * As {@link #QUEUED} when the logging backend may read Critter's keys (a pattern with
         * {@code %X} or {@code %X{critter.…}}, structured logging, an encoder or appender Critter
         * cannot inspect, any backend but Logback); else as {@link #NONE}. Decided at start-up.
         */
        AUTO,
        /** None. */
        NONE,
        /** Handlers on queue workers; inline {@code invoke} keeps the caller's MDC as it is (cheapest useful). */
        QUEUED,
        /** Every handler, inline {@code invoke} too (about 200 ns per inline invoke). */
        ALL
    }
}
