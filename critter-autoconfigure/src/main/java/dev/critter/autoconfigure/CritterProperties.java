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

    public boolean isEnabled() { return enabled; }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public @Nullable String getServiceName() { return serviceName; }

    public void setServiceName(@Nullable String serviceName) { this.serviceName = serviceName; }

    public Duration getShutdownTimeout() { return shutdownTimeout; }

    public void setShutdownTimeout(Duration shutdownTimeout) { this.shutdownTimeout = shutdownTimeout; }

    public Handlers getHandlers() { return handlers; }

    public Local getLocal() { return local; }

    public Invoke getInvoke() { return invoke; }

    public Errors getErrors() { return errors; }

    public DeadLetters getDeadLetters() { return deadLetters; }

    public Scheduling getScheduling() { return scheduling; }

    public Metrics getMetrics() { return metrics; }

    /** Handler discovery. */
    public static class Handlers {

        /** Packages scanned for handler classes (sub-packages included); defaults to the @SpringBootApplication package. */
        private List<String> basePackages = new ArrayList<>();

        public List<String> getBasePackages() { return basePackages; }

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
         * Settings per queue name (conventional queue names are the message type's simple name in
         * kebab-case), each with the keys parallelism, sequential, capacity, durable and partition-by,
         * e.g. critter.local.queues.sign-up-request.parallelism=8.
         */
        private Map<String, Queue> queues = new LinkedHashMap<>();

        public int getDefaultCapacity() { return defaultCapacity; }

        public void setDefaultCapacity(int defaultCapacity) { this.defaultCapacity = defaultCapacity; }

        public @Nullable Integer getDefaultParallelism() { return defaultParallelism; }

        public void setDefaultParallelism(@Nullable Integer defaultParallelism) { this.defaultParallelism = defaultParallelism; }

        public Duration getPublishTimeout() { return publishTimeout; }

        public void setPublishTimeout(Duration publishTimeout) { this.publishTimeout = publishTimeout; }

        public Duration getWorkerIdleTimeout() { return workerIdleTimeout; }

        public void setWorkerIdleTimeout(Duration workerIdleTimeout) { this.workerIdleTimeout = workerIdleTimeout; }

        public Map<String, Queue> getQueues() { return queues; }

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

        public @Nullable Integer getParallelism() { return parallelism; }

        public void setParallelism(@Nullable Integer parallelism) { this.parallelism = parallelism; }

        public @Nullable Boolean getSequential() { return sequential; }

        public void setSequential(@Nullable Boolean sequential) { this.sequential = sequential; }

        public @Nullable Integer getCapacity() { return capacity; }

        public void setCapacity(@Nullable Integer capacity) { this.capacity = capacity; }

        public @Nullable Boolean getDurable() { return durable; }

        public void setDurable(@Nullable Boolean durable) { this.durable = durable; }

        public @Nullable String getPartitionBy() { return partitionBy; }

        public void setPartitionBy(@Nullable String partitionBy) { this.partitionBy = partitionBy; }
    }

    /** Request/reply. */
    public static class Invoke {

        /** How long invokeAsync with a response type (request/reply) waits for the reply. */
        private Duration timeout = Duration.ofSeconds(5);

        public Duration getTimeout() { return timeout; }

        public void setTimeout(Duration timeout) { this.timeout = timeout; }
    }

    /** The default error policy (applies when no onException rule matches). */
    public static class Errors {

        /** Cooldowns of the default policy: one retry after each (jittered up to +20%), then dead letter. */
        private List<Duration> retryCooldowns = new ArrayList<>(List.of(Duration.ofMillis(50), Duration.ofMillis(100)));

        public List<Duration> getRetryCooldowns() { return retryCooldowns; }

        public void setRetryCooldowns(List<Duration> retryCooldowns) { this.retryCooldowns = retryCooldowns; }
    }

    /** The dead-letter store. */
    public static class DeadLetters {

        /** How many dead letters the in-memory store keeps (used without a database); oldest are evicted first. */
        private int inMemoryCapacity = 1_000;

        public int getInMemoryCapacity() { return inMemoryCapacity; }

        public void setInMemoryCapacity(int inMemoryCapacity) { this.inMemoryCapacity = inMemoryCapacity; }
    }

    /** Scheduled and delayed messages. */
    public static class Scheduling {

        /** How many scheduled messages the in-memory scheduler holds at once (used without a database). */
        private int inMemoryCapacity = 100_000;

        public int getInMemoryCapacity() { return inMemoryCapacity; }

        public void setInMemoryCapacity(int inMemoryCapacity) { this.inMemoryCapacity = inMemoryCapacity; }
    }

    /** Micrometer metrics. */
    public static class Metrics {

        /** Whether meters carry a tenant tag (one series per tenant: mind the cardinality). */
        private boolean tenantTag = true;

        public boolean isTenantTag() { return tenantTag; }

        public void setTenantTag(boolean tenantTag) { this.tenantTag = tenantTag; }
    }
}
