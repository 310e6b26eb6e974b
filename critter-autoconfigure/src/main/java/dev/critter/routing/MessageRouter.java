package dev.critter.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.critter.PublishingRule;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Decides where a message class goes: every endpoint of the publishing rules that match it;
 * when no rule matches, its conventional endpoint (RabbitMQ's exchange of the type with conventional
 * routing, else its local queue if it has a handler); else nowhere.
 * Decided once per class, then cached.
 */
public final class MessageRouter {

    private final List<BoundRule> rules;
    private final Function<Class<?>, @Nullable Endpoint> conventional;
    private final ClassValue<List<Endpoint>> routes = new ClassValue<>() {
        @Override
        protected List<Endpoint> computeValue(Class<?> type) {
            return decide(type);
        }
    };

    /**
     * Creates the router.
     * @param rules the publishing rules in declaration order
     * @param endpoints the endpoints rules may name
     * @param conventional the conventional endpoint of a class without rules, or {@code null}
     */
    public MessageRouter(List<PublishingRule> rules, Endpoints endpoints,
                         Function<Class<?>, @Nullable Endpoint> conventional) {
        List<BoundRule> bound = new ArrayList<>();
        for (PublishingRule rule : rules) {
            // The rule's text destination is parsed here, once, at start-up.
            bound.add(new BoundRule(rule, endpoints.resolve(Destination.parse(rule.destination()), rule.description())));
        }
        this.rules = List.copyOf(bound);
        this.conventional = conventional;
    }

    /**
     * Returns where a message of this class goes.
     * @param messageClass the runtime class of a message
     * @return its destinations; empty when nothing takes it
     */
    public List<Endpoint> routesFor(Class<?> messageClass) {
        return routes.get(messageClass);
    }

    /**
     * Tells whether a publishing rule routes this class.
     * @param messageClass a message class
     * @return whether a publishing rule matches it
     */
    public boolean hasRule(Class<?> messageClass) {
        return rules.stream().anyMatch(r -> r.rule.matches().test(messageClass));
    }

    private List<Endpoint> decide(Class<?> type) {
        Set<Endpoint> matched = new LinkedHashSet<>();
        for (BoundRule rule : rules) {
            if (rule.rule.matches().test(type)) {
                matched.add(rule.endpoint);
            }
        }
        if (matched.isEmpty()) {
            Endpoint local = conventional.apply(type);
            return local == null ? List.of() : List.of(local);
        }
        return List.copyOf(matched);
    }

    private record BoundRule(PublishingRule rule, Endpoint endpoint) {
    }
}
