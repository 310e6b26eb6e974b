package dev.critter.local;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterOptions;
import dev.critter.ExceptionPolicy;
import dev.critter.FailureAction;
import dev.critter.LocalQueueConfiguration;
import dev.critter.PublishingRule;
import dev.critter.transport.Destination;
import dev.critter.transport.TransportConfiguration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides which local queues exist and how each is set up: one per handled type without a
 * publishing rule (named after the type in kebab-case), one per local queue a rule names, with
 * each queue's configuration merged over the defaults.
 */
final class LocalQueuePlanner {

    private static final Log logger = LogFactory.getLog(LocalQueuePlanner.class);

    /**
     * The queues to create and which handled type goes to which.
     * @param queues the settings of every queue, by name
     * @param conventional the conventional queue name of each handled type that has no rule
     * @param durable the names of the queues backed by the inbox
     */
    record Plan(Map<String, LocalQueueSettings> queues, Map<Class<?>, String> conventional, Set<String> durable) {
    }

    /**
     * Plans the queues.
     * @param inboxAvailable whether durability provides an inbox; without one a durable queue fails start-up
     */
    static Plan plan(TransportConfiguration configuration, LocalTransportSettings settings, boolean inboxAvailable) {
        CritterOptions options = configuration.options();
        Map<String, List<Class<?>>> routed = new LinkedHashMap<>();
        Map<Class<?>, String> conventional = new LinkedHashMap<>();
        for (Class<?> type : configuration.handledTypes()) {
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
            Destination destination = Destination.parse(rule.destination());
            if (destination.hasScheme(LocalTransport.SCHEME)) {
                List<Class<?>> types = routed.computeIfAbsent(destination.name(), n -> new ArrayList<>());
                configuration.handledTypes().stream().filter(t -> rule.matches().test(t)).forEach(types::add);
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
        Set<String> durable = new LinkedHashSet<>();
        for (Map.Entry<String, List<Class<?>>> queue : routed.entrySet()) {
            if (isDurable(queue.getKey(), options, inboxAvailable)) {
                durable.add(queue.getKey());
            }
            LocalQueueSettings queueSettings = settingsFor(queue.getKey(), queue.getValue(), options, settings);
            refuseOrderBreakingRules(queueSettings, queue.getValue(), options);
            queues.put(queue.getKey(), queueSettings);
        }
        for (String declared : options.localQueues().keySet()) {
            if (!queues.containsKey(declared)) {
                logger.warn("Local queue '" + declared + "' is configured but no message is routed to it; "
                        + "it is not created. Known queues: " + new TreeSet<>(queues.keySet()));
            }
        }
        return new Plan(queues, conventional, durable);
    }

    private static boolean isDurable(String name, CritterOptions options, boolean inboxAvailable) {
        LocalQueueConfiguration config = options.localQueues().get(name);
        boolean durable = (config != null && config.isDurable()) || options.policies().durableLocalQueues();
        if (durable && !inboxAvailable) {
            throw new CritterConfigurationException("Local queue '" + name + "' is durable, which needs PostgreSQL "
                    + "durability (the inbox), but durability is off",
                    "Give the application a PostgreSQL DataSource (spring-boot-starter-jdbc and the driver) and leave "
                            + "critter.durability.enabled on, or remove critter.local.queues." + name
                            + ".durable, .durable() or policies().useDurableLocalQueues()");
        }
        return durable;
    }

    /**
     * A requeue or scheduled retry puts a failed message behind later ones, which breaks the order
     * a sequential or partitioned queue promises; inline retries and cooldowns keep the worker and
     * so keep the order.
     */
    private static void refuseOrderBreakingRules(LocalQueueSettings queue, List<Class<?>> types,
                                                 CritterOptions options) {
        if (queue.mode() == LocalQueueMode.PARALLEL) {
            return;
        }
        String mode = queue.mode().name().toLowerCase(Locale.ROOT);
        for (ExceptionPolicy rule : options.exceptionPolicies()) {
            String step = orderBreakingStep(rule);
            if (step != null && !types.isEmpty()) {
                throw orderBroken(queue.name(), mode, "o.onException(" + rule.exceptionType().getSimpleName()
                        + ".class) (a global rule, so it applies to " + types.get(0).getName() + ")", step);
            }
        }
        for (Map.Entry<Class<?>, ExceptionPolicy> rule : options.messageTypeRules()) {
            String step = orderBreakingStep(rule.getValue());
            Class<?> ruleType = rule.getKey();
            if (step == null) {
                continue;
            }
            for (Class<?> type : types) {
                if (ruleType.isAssignableFrom(type) || type.isAssignableFrom(ruleType)) {
                    throw orderBroken(queue.name(), mode, "o.forMessage(" + ruleType.getSimpleName()
                            + ".class).onException(" + rule.getValue().exceptionType().getSimpleName()
                            + ".class) (applies to " + type.getName() + ")", step);
                }
            }
        }
    }

    private static @Nullable String orderBreakingStep(ExceptionPolicy rule) {
        for (FailureAction step : rule.steps()) {
            if (step.kind() == FailureAction.Kind.REQUEUE) {
                return "requeue()";
            }
            if (step.kind() == FailureAction.Kind.SCHEDULE_RETRY) {
                return "scheduleRetry(...)";
            }
        }
        return null;
    }

    private static CritterConfigurationException orderBroken(String queue, String mode, String rule, String step) {
        return new CritterConfigurationException("Local queue '" + queue + "' is " + mode + ", but the error rule "
                + rule + " uses " + step + ", which would put a failed message behind later ones and break the "
                + "queue's order", "Retry on the worker instead, which keeps the order: retryTimes(n) or "
                + "retryWithCooldown(...); or scope the rule with o.forMessage(...) to messages on unordered queues");
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
                                                  LocalTransportSettings settings) {
        LocalQueueConfiguration config = options.localQueues().get(name);
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
