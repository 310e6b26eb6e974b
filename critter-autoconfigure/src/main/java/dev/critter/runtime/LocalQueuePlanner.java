package dev.critter.runtime;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterOptions;
import dev.critter.LocalQueueConfiguration;
import dev.critter.PublishingRule;
import dev.critter.handler.HandlerGraph;
import dev.critter.local.LocalQueueMode;
import dev.critter.local.LocalQueueSettings;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides which local queues exist and how each is set up: one per handled type without a
 * publishing rule (named after the type in kebab-case), one per local queue a rule names, with
 * each queue's configuration merged over the defaults.
 */
final class LocalQueuePlanner {

    private static final Log logger = LogFactory.getLog(LocalQueuePlanner.class);
    private static final String LOCAL = "local://";

    /**
     * The queues to create and which handled type goes to which.
     * @param queues the settings of every queue, by name
     * @param conventional the conventional queue name of each handled type that has no rule
     */
    record Plan(Map<String, LocalQueueSettings> queues, Map<Class<?>, String> conventional) {
    }

    static Plan plan(HandlerGraph graph, CritterOptions options, RuntimeSettings settings) {
        Map<String, List<Class<?>>> routed = new LinkedHashMap<>();
        Map<Class<?>, String> conventional = new LinkedHashMap<>();
        for (Class<?> type : graph.handledTypes()) {
            if (options.publishingRules().stream().anyMatch(r -> coversEverySubtype(r, type))) {
                continue;
            }
            String name = LocalQueueConfiguration.defaultNameFor(type);
            List<Class<?>> sharing = routed.computeIfAbsent(name, n -> new ArrayList<>());
            if (!sharing.isEmpty()) {
                Class<?> other = sharing.get(0);
                throw new CritterConfigurationException("Message types " + other.getName() + " and " + type.getName()
                        + " would share the conventional local queue '" + name + "'",
                        "Route one of them explicitly, e.g. o.publish(r -> r.message(" + type.getSimpleName()
                                + ".class).toLocalQueue(\"" + name + "-2\"))");
            }
            sharing.add(type);
            conventional.put(type, name);
        }
        for (PublishingRule rule : options.publishingRules()) {
            if (rule.destination().startsWith(LOCAL)) {
                String name = rule.destination().substring(LOCAL.length());
                List<Class<?>> types = routed.computeIfAbsent(name, n -> new ArrayList<>());
                graph.handledTypes().stream().filter(t -> rule.matches().test(t)).forEach(types::add);
            }
        }
        for (String name : settings.queueNamesFromProperties()) {
            if (!routed.containsKey(name)) {
                throw new CritterConfigurationException("critter.local.queues." + name
                        + " configures a local queue that nothing is routed to",
                        "Use one of the queue names " + new TreeSet<>(routed.keySet())
                                + ", or route messages to '" + name + "' with a publishing rule");
            }
        }
        Map<String, LocalQueueSettings> queues = new LinkedHashMap<>();
        for (Map.Entry<String, List<Class<?>>> queue : routed.entrySet()) {
            queues.put(queue.getKey(), settingsFor(queue.getKey(), queue.getValue(), options, settings));
        }
        for (String declared : options.localQueues().keySet()) {
            if (!queues.containsKey(declared)) {
                logger.warn("Local queue '" + declared + "' is configured but no message is routed to it; "
                        + "it is not created. Known queues: " + new TreeSet<>(queues.keySet()));
            }
        }
        return new Plan(queues, conventional);
    }

    /**
     * Whether a rule takes every message class that would otherwise use the handled type's
     * conventional queue. {@code message(Base.class)} matches {@code Base} but not its subclasses,
     * so those still need the conventional queue.
     */
    private static boolean coversEverySubtype(PublishingRule rule, Class<?> handledType) {
        return rule.matches().test(handledType)
                && (rule.matchesSubtypes() || Modifier.isFinal(handledType.getModifiers()));
    }

    private static LocalQueueSettings settingsFor(String name, List<Class<?>> types, CritterOptions options,
                                                  RuntimeSettings settings) {
        LocalQueueConfiguration config = options.localQueues().get(name);
        if ((config != null && config.isDurable()) || options.policies().durableLocalQueues()) {
            throw new CritterConfigurationException("Local queue '" + name + "' is durable, which needs PostgreSQL "
                    + "durability (the inbox); this version of Critter does not include durability yet",
                    "Remove critter.local.queues." + name + ".durable, .durable() or policies().useDurableLocalQueues()");
        }
        if (config == null) {
            return new LocalQueueSettings(name, settings.defaultParallelism(), settings.defaultCapacity(),
                    settings.publishTimeout(), LocalQueueMode.PARALLEL, null);
        }
        int capacity = config.capacity() != null ? config.capacity() : settings.defaultCapacity();
        if (config.isSequential()) {
            return new LocalQueueSettings(name, 1, capacity, settings.publishTimeout(), LocalQueueMode.SEQUENTIAL, null);
        }
        int parallelism = config.parallelism() != null ? config.parallelism() : settings.defaultParallelism();
        if (config.isPartitioned()) {
            return new LocalQueueSettings(name, parallelism, capacity, settings.publishTimeout(),
                    LocalQueueMode.PARTITIONED, PartitionKeys.of(config, types));
        }
        return new LocalQueueSettings(name, parallelism, capacity, settings.publishTimeout(), LocalQueueMode.PARALLEL,
                null);
    }
}
