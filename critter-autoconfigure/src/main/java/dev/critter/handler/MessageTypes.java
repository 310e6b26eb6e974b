package dev.critter.handler;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.MessageIdentity;

/**
 * Message type names: a class's fully qualified name, or its {@link MessageIdentity} alias.
 * Incoming names resolve only through the types registered here, never through {@code Class.forName}.
 */
public final class MessageTypes {

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            MessageIdentity identity = type.getAnnotation(MessageIdentity.class);
            return identity != null && !identity.value().isBlank() ? identity.value() : type.getName();
        }
    };

    private final Map<String, Class<?>> known = new ConcurrentHashMap<>();

    /**
     * Returns the message type name of a class.
     * @param type a message class
     * @return its message type name
     */
    public static String nameOf(Class<?> type) {
        return NAMES.get(type);
    }

    /**
     * Registers a type so its name resolves; two types may not share a name.
     * @param type a message class
     */
    public void register(Class<?> type) {
        String name = nameOf(type);
        Class<?> previous = known.putIfAbsent(name, type);
        if (previous != null && previous != type) {
            throw new HandlerConfigurationException("Message types " + previous.getName() + " and " + type.getName()
                    + " share the message type name '" + name + "'",
                    "Give one of them a distinct @MessageIdentity");
        }
    }

    /**
     * Resolves a message type name read from outside.
     * @param name a message type name read from outside
     * @return the registered class, if any
     */
    public Optional<Class<?>> resolve(String name) {
        return Optional.ofNullable(known.get(name));
    }

    /**
     * Returns the registered names and classes.
     * @return the registered names and classes
     */
    public Map<String, Class<?>> all() {
        return Map.copyOf(known);
    }
}
