package dev.critter.autoconfigure;

import java.util.Map;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterOptions;
import dev.critter.LocalQueueConfiguration;

import org.jspecify.annotations.Nullable;

/**
 * Applies {@code critter.local.queues.*} to {@link CritterOptions}, before the Java configurers
 * run, rejecting settings that contradict each other.
 */
final class CritterPropertiesMapper {

    void apply(CritterProperties properties, CritterOptions options) {
        for (Map.Entry<String, CritterProperties.Queue> entry : properties.getLocal().getQueues().entrySet()) {
            apply(entry.getKey(), entry.getValue(), options);
        }
    }

    private void apply(String name, CritterProperties.Queue queue, CritterOptions options) {
        String key = "critter.local.queues." + name;
        boolean sequential = Boolean.TRUE.equals(queue.getSequential());
        if (sequential && queue.getParallelism() != null && queue.getParallelism() != 1) {
            throw new CritterConfigurationException(key + ".sequential=true conflicts with " + key + ".parallelism="
                    + queue.getParallelism(), "A sequential queue runs one handler at a time: remove one of the two keys");
        }
        if (sequential && queue.getPartitionBy() != null) {
            throw new CritterConfigurationException(key + ".sequential=true conflicts with " + key + ".partition-by="
                    + queue.getPartitionBy(), "Choose strict order (sequential) or order per key (partition-by)");
        }
        // Checked here so the error names the property key, not the Java method it maps to.
        requireAtLeastOne(key + ".parallelism", queue.getParallelism());
        requireAtLeastOne(key + ".capacity", queue.getCapacity());
        LocalQueueConfiguration config;
        try {
            config = options.localQueue(name);
            if (queue.getParallelism() != null) {
                config.maximumParallelMessages(queue.getParallelism());
            }
            if (sequential) {
                config.sequential();
            }
            if (queue.getCapacity() != null) {
                config.capacity(queue.getCapacity());
            }
            if (Boolean.TRUE.equals(queue.getDurable())) {
                config.durable();
            }
            if (queue.getPartitionBy() != null) {
                config.partitionedByProperty(queue.getPartitionBy());
            }
        } catch (IllegalArgumentException ex) {
            throw new CritterConfigurationException(key + ": " + ex.getMessage(), "Fix the value under " + key);
        }
    }

    private static void requireAtLeastOne(String key, @Nullable Integer value) {
        if (value != null && value < 1) {
            throw new CritterConfigurationException(key + "=" + value + " must be at least 1",
                    "Set " + key + " to 1 or more, or remove it to use the default");
        }
    }
}
