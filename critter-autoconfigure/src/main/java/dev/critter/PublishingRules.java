package dev.critter;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Declares where message types are published; reached through {@link CritterOptions#publish}.
 * A message type matched by any rule goes only where its rules say (no conventional local queue).
 */
public final class PublishingRules {

    private final List<PublishingRule> rules;

    PublishingRules(List<PublishingRule> rules) {
        this.rules = rules;
    }

    /**
     * Routes one message type.
     * @param messageType exactly this type
     * @return the target to route it to
     */
    public Target message(Class<?> messageType) {
        Objects.requireNonNull(messageType, "messageType");
        return new Target("message(" + messageType.getName() + ")", new ExactType(messageType), false);
    }

    /**
     * Routes every message type that extends or implements a type.
     * @param supertype an interface or superclass
     * @return the target to route its subtypes to
     */
    public Target messagesImplementing(Class<?> supertype) {
        Objects.requireNonNull(supertype, "supertype");
        return new Target("messagesImplementing(" + supertype.getName() + ")", supertype::isAssignableFrom, true);
    }

    /**
     * Routes every message type of a package.
     * @param packageName a package; sub-packages included
     * @return the target to route its types to
     */
    public Target messagesInPackage(String packageName) {
        Objects.requireNonNull(packageName, "packageName");
        String prefix = packageName + ".";
        return new Target("messagesInPackage(" + packageName + ")", type -> type.getName().startsWith(prefix), false);
    }

    /** Where the selected message types go. */
    public final class Target {
        private final String description;
        private final Predicate<Class<?>> matches;
        private final boolean matchesSubtypes;

        private Target(String description, Predicate<Class<?>> matches, boolean matchesSubtypes) {
            this.description = description;
            this.matches = matches;
            this.matchesSubtypes = matchesSubtypes;
        }

        /**
         * Sends the matched messages to a local queue.
         * @param queueName a local queue, declared if needed
         * @return the rules, to add more
         */
        public PublishingRules toLocalQueue(String queueName) {
            LocalQueueConfiguration.checkName(queueName);
            return add("toLocalQueue(" + queueName + ")", "local://" + queueName);
        }

        /**
         * Sends the matched messages to a RabbitMQ queue.
         * @param queueName a RabbitMQ queue
         * @return the rules, to add more
         */
        public PublishingRules toRabbitQueue(String queueName) {
            Objects.requireNonNull(queueName, "queueName");
            return add("toRabbitQueue(" + queueName + ")", "rabbitmq://queue/" + queueName);
        }

        /**
         * Sends the matched messages to a RabbitMQ exchange.
         * @param exchange a RabbitMQ exchange
         * @return the rules, to add more
         */
        public PublishingRules toRabbitExchange(String exchange) {
            Objects.requireNonNull(exchange, "exchange");
            return add("toRabbitExchange(" + exchange + ")", "rabbitmq://exchange/" + exchange);
        }

        /**
         * Sends the matched messages to a RabbitMQ exchange.
         * @param exchange a RabbitMQ exchange
         * @param routingKey the routing key
         * @return the rules, to add more
         */
        public PublishingRules toRabbitExchange(String exchange, String routingKey) {
            Objects.requireNonNull(exchange, "exchange");
            Objects.requireNonNull(routingKey, "routingKey");
            return add("toRabbitExchange(" + exchange + ", " + routingKey + ")",
                    "rabbitmq://exchange/" + exchange + "/" + routingKey);
        }

        private PublishingRules add(String to, String destination) {
            rules.add(new PublishingRule(description + "." + to, matches, destination, matchesSubtypes));
            return PublishingRules.this;
        }
    }

    /**
     * What {@link #message} matches: exactly one type, which the runtime registers as a known
     * message type, so a message of it that was stored (an outbox row a fresh process relays)
     * reads back even where no handler handles it.
     * @param type the message type
     */
    public record ExactType(Class<?> type) implements Predicate<Class<?>> {

        /**
         * Checks the type.
         * @param type the message type
         */
        public ExactType {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public boolean test(Class<?> candidate) {
            return type.equals(candidate);
        }
    }
}
