package dev.critter.autoconfigure.rabbitmq;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterOptions;
import dev.critter.RabbitQueueListenerConfiguration;
import dev.critter.rabbitmq.RabbitSettings;

import org.jspecify.annotations.Nullable;

/** Turns {@code critter.rabbitmq.*} into settings and listeners, failing start-up on values that cannot work. */
final class RabbitPropertiesCheck {

    private static final String PREFIX = "critter.rabbitmq.";

    private RabbitPropertiesCheck() {
    }

    static RabbitSettings resolve(CritterRabbitProperties properties) {
        int parallelism = properties.getDefaultParallelism() != null ? properties.getDefaultParallelism()
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        requireAtLeastOne(PREFIX + "default-parallelism", parallelism);
        requireAtLeastOne(PREFIX + "default-prefetch", properties.getDefaultPrefetch());
        requireAtLeastOne(PREFIX + "publisher-capacity", properties.getPublisherCapacity());
        requireAtLeastOne(PREFIX + "confirm-batch", properties.getConfirmBatch());
        requirePositive(PREFIX + "confirm-timeout", properties.getConfirmTimeout());
        requirePositive(PREFIX + "publish-timeout", properties.getPublishTimeout());
        requirePositive(PREFIX + "recovery-interval", properties.getRecoveryInterval());
        return new RabbitSettings(properties.isAutoProvision(), parallelism, properties.getDefaultPrefetch(),
                properties.getPublisherCapacity(), properties.getConfirmBatch(), properties.getConfirmTimeout(),
                properties.getPublishTimeout(), properties.getRecoveryInterval(), properties.isConventionalRouting());
    }

    static void applyListeners(CritterRabbitProperties properties, CritterOptions options) {
        List<CritterRabbitProperties.Listener> listeners = properties.getListeners();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < listeners.size(); i++) {
            CritterRabbitProperties.Listener listener = listeners.get(i);
            String key = PREFIX + "listeners[" + i + "]";
            String queue = listener.getQueue();
            if (queue == null || queue.isBlank()) {
                throw new CritterConfigurationException(key + ".queue is missing", "Name the queue to listen to in " + key + ".queue");
            }
            if (!seen.add(queue)) {
                throw new CritterConfigurationException(key + ".queue=" + queue + " is listened to twice",
                        "Keep one entry per queue under " + PREFIX + "listeners");
            }
            requireAtLeastOne(key + ".parallelism", listener.getParallelism());
            requireAtLeastOne(key + ".prefetch", listener.getPrefetch());
            RabbitQueueListenerConfiguration configuration = options.listenToRabbitQueue(queue);
            if (listener.getParallelism() != null) {
                configuration.parallelism(listener.getParallelism());
            }
            if (listener.getPrefetch() != null) {
                configuration.prefetch(listener.getPrefetch());
            }
            if (listener.getDefaultMessageType() != null) {
                configuration.defaultMessageType(listener.getDefaultMessageType());
            }
            if (listener.isDurable()) {
                configuration.durable();
            }
        }
    }

    private static void requireAtLeastOne(String key, @Nullable Integer value) {
        if (value != null && value < 1) {
            throw new CritterConfigurationException(key + "=" + value + " must be at least 1",
                    "Set " + key + " to 1 or more, or remove it to use the default");
        }
    }

    private static void requirePositive(String key, java.time.Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new CritterConfigurationException(key + "=" + value + " must be positive", "Set " + key + " above zero");
        }
    }
}
