package dev.critter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Critter's settings as Java code changes them in a {@link CritterConfigurer}: local queues,
 * publishing rules and error policies. Properties ({@code critter.*}) are applied first, so
 * what is set here wins.
 */
public final class CritterOptions {

    private final Map<String, LocalQueueConfiguration> localQueues = new LinkedHashMap<>();
    private final List<PublishingRule> publishingRules = new ArrayList<>();
    private final List<ExceptionPolicy> exceptionPolicies = new ArrayList<>();
    private final Map<Class<?>, MessageTypePolicies> messagePolicies = new LinkedHashMap<>();
    private final List<Map.Entry<Class<?>, ExceptionPolicy>> messageTypeRules = new ArrayList<>();
    private final Policies policies = new Policies();
    private final Map<String, RabbitQueueListenerConfiguration> rabbitListeners = new LinkedHashMap<>();
    private boolean conventionalRabbitRouting;

    /**
     * Returns the configuration of the named local queue, declaring it if needed.
     * @param name the queue name, e.g. {@code "events"}
     * @return the queue's configuration, for chaining
     */
    public LocalQueueConfiguration localQueue(String name) {
        LocalQueueConfiguration.checkName(name);
        return localQueues.computeIfAbsent(name, LocalQueueConfiguration::new);
    }

    /**
     * Returns the configuration of the default local queue of a message type (named after the
     * type's simple name in kebab-case: {@code SignUpRequest} → {@code sign-up-request}).
     * @param messageType the message type
     * @return the queue's configuration, for chaining
     */
    public LocalQueueConfiguration localQueueFor(Class<?> messageType) {
        return localQueue(LocalQueueConfiguration.defaultNameFor(messageType));
    }

    /**
     * Adds publishing rules, e.g. {@code o.publish(r -> r.message(OrderPlaced.class).toLocalQueue("orders"))}.
     * @param rules a callback that declares rules
     * @return these options
     */
    public CritterOptions publish(Consumer<PublishingRules> rules) {
        Objects.requireNonNull(rules, "rules");
        rules.accept(new PublishingRules(publishingRules));
        return this;
    }

    /**
     * Listens to a RabbitMQ queue (needs {@code critter.rabbitmq.enabled=true}), declaring the
     * listener if needed; its deliveries go to the handlers of their message type.
     * @param queue the queue name
     * @return the listener's configuration, for chaining
     */
    public RabbitQueueListenerConfiguration listenToRabbitQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue.isBlank()) {
            throw new IllegalArgumentException("Rabbit queue name must not be blank");
        }
        return rabbitListeners.computeIfAbsent(queue, RabbitQueueListenerConfiguration::new);
    }

    /**
     * Routes over RabbitMQ by convention (needs {@code critter.rabbitmq.enabled=true}; the same as
     * {@code critter.rabbitmq.conventional-routing=true}): a message type that no publishing rule
     * matches is published to a fanout exchange named after its message type name, and each
     * handled type gets a queue of that name, bound to that exchange and listened to.
     * @return these options, for chaining
     */
    public CritterOptions useConventionalRabbitRouting() {
        this.conventionalRabbitRouting = true;
        return this;
    }

    /**
     * Tells whether {@link #useConventionalRabbitRouting()} was called.
     * @return whether RabbitMQ routes by convention
     */
    public boolean conventionalRabbitRouting() {
        return conventionalRabbitRouting;
    }

    /**
     * Returns the RabbitMQ listeners by queue name, in declaration order.
     * @return the RabbitMQ listeners by queue name, in declaration order
     */
    public Map<String, RabbitQueueListenerConfiguration> rabbitListeners() {
        return Collections.unmodifiableMap(rabbitListeners);
    }

    /**
     * Returns switches that apply to every queue or endpoint.
     * @return switches that apply to every queue or endpoint
     */
    public Policies policies() {
        return policies;
    }

    /**
     * Adds a global error rule for an exception type (matched on the exception or any of its
     * causes). Rules are tried in declaration order; message-type rules come first.
     * @param exceptionType the exception type to match
     * @return the policy to complete with actions
     */
    public ExceptionPolicy onException(Class<? extends Throwable> exceptionType) {
        ExceptionPolicy policy = new ExceptionPolicy(exceptionType);
        exceptionPolicies.add(policy);
        return policy;
    }

    /**
     * Starts error rules for one message type.
     * @param messageType a message type (or supertype of several)
     * @return error rules that apply only to messages of that type
     */
    public MessageTypePolicies forMessage(Class<?> messageType) {
        Objects.requireNonNull(messageType, "messageType");
        return messagePolicies.computeIfAbsent(messageType, type -> new MessageTypePolicies(type, messageTypeRules));
    }

    /**
     * Returns the declared local queues by name, in declaration order.
     * @return the declared local queues by name, in declaration order
     */
    public Map<String, LocalQueueConfiguration> localQueues() {
        return Collections.unmodifiableMap(localQueues);
    }

    /**
     * Returns the publishing rules in declaration order.
     * @return the publishing rules in declaration order
     */
    public List<PublishingRule> publishingRules() {
        return Collections.unmodifiableList(publishingRules);
    }

    /**
     * Returns the global error rules in declaration order.
     * @return the global error rules in declaration order
     */
    public List<ExceptionPolicy> exceptionPolicies() {
        return Collections.unmodifiableList(exceptionPolicies);
    }

    /**
     * Returns the per-message-type error rules, grouped by message type.
     * @return the per-message-type error rules, grouped by message type
     */
    public Map<Class<?>, MessageTypePolicies> messagePolicies() {
        return Collections.unmodifiableMap(messagePolicies);
    }

    /**
     * Returns every message-type error rule with its message type, in the order the rules were
     * declared across all types: the order in which they are tried.
     * @return message type and rule pairs in declaration order
     */
    public List<Map.Entry<Class<?>, ExceptionPolicy>> messageTypeRules() {
        return Collections.unmodifiableList(messageTypeRules);
    }
}
