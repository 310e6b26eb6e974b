package dev.critter.handler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.critter.NoHandlerException;

/**
 * Every handler chain, and which chains run for a given message class (those whose handled
 * type is the class, one of its supertypes or interfaces).
 */
public final class HandlerGraph {

    private final List<HandlerChain> chains;
    private final Map<String, HandlerChain> chainsById;
    private final MessageTypes messageTypes;
    private final List<NearMiss> nearMisses;
    private final ClassValue<List<HandlerChain>> chainsByClass = new ClassValue<>() {
        @Override
        protected List<HandlerChain> computeValue(Class<?> type) {
            return chains.stream().filter(c -> c.messageClass().isAssignableFrom(type)).toList();
        }
    };

    HandlerGraph(List<HandlerChain> chains, MessageTypes messageTypes, List<NearMiss> nearMisses) {
        List<HandlerChain> sorted = new ArrayList<>(chains);
        sorted.sort(Comparator.comparing(HandlerChain::messageTypeName).thenComparing(HandlerChain::id));
        this.chains = List.copyOf(sorted);
        Map<String, HandlerChain> byId = new HashMap<>();
        for (HandlerChain chain : this.chains) {
            HandlerChain other = byId.putIfAbsent(chain.id(), chain);
            if (other != null) {
                // Requeued, scheduled and dead-lettered messages name their chain by id: a shared
                // id would run one handler with the other's message.
                throw new HandlerConfigurationException("Handler methods " + other.method() + " and "
                        + chain.method() + " share the chain id " + chain.id(),
                        "Rename one of the methods or move it to its own handler class");
            }
        }
        this.chainsById = Map.copyOf(byId);
        this.messageTypes = messageTypes;
        this.nearMisses = List.copyOf(nearMisses);
    }

    /**
     * The error for a message no chain handles, naming the near misses that may be the handler
     * the user meant (a non-public method of that type, a method without parameter).
     * @param messageClass the class of the message
     * @return the exception to throw or record
     */
    public NoHandlerException noHandler(Class<?> messageClass) {
        return new NoHandlerException(MessageTypes.nameOf(messageClass), nearMisses.stream()
                .filter(miss -> miss.concerns(messageClass)).map(NearMiss::describe).toList());
    }

    /**
     * Returns all chains, ordered by message type name.
     * @return all chains, ordered by message type name
     */
    public List<HandlerChain> chains() {
        return chains;
    }

    /**
     * Returns the chains that handle a message of this class.
     * @param messageClass the runtime class of a message
     * @return the chains that handle it, in a stable order
     */
    public List<HandlerChain> chainsFor(Class<?> messageClass) {
        return chainsByClass.get(messageClass);
    }

    /**
     * Finds a chain by id.
     * @param id a chain id
     * @return the chain with that id
     */
    public Optional<HandlerChain> chain(String id) {
        return Optional.ofNullable(chainsById.get(id));
    }

    /**
     * Returns the handled message types (the first parameter types), in a stable order.
     * @return the handled message types (the first parameter types), in a stable order
     */
    public Set<Class<?>> handledTypes() {
        Set<Class<?>> types = new LinkedHashSet<>();
        chains.forEach(c -> types.add(c.messageClass()));
        return types;
    }

    /**
     * The handled type whose default queue a message class goes to: the class itself when it is
     * handled, else the most specific handled supertype (ties broken by name).
     * @param messageClass the runtime class of a message
     * @return the handled type, if any chain handles the class
     */
    public Optional<Class<?>> mostSpecificHandledType(Class<?> messageClass) {
        List<HandlerChain> candidates = chainsFor(messageClass);
        Class<?> best = null;
        for (HandlerChain chain : candidates) {
            Class<?> type = chain.messageClass();
            if (best == null || (best.isAssignableFrom(type) && best != type)
                    || (!type.isAssignableFrom(best) && !best.isAssignableFrom(type)
                        && type.getName().compareTo(best.getName()) < 0)) {
                best = type;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the registry of known message type names.
     * @return the registry of known message type names
     */
    public MessageTypes messageTypes() {
        return messageTypes;
    }
}
