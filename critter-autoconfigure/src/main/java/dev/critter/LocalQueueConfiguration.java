package dev.critter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one local queue. Unset values fall back to {@code critter.local.*} defaults
 * (parallelism = available processors, capacity = 10,000, not ordered).
 */
public final class LocalQueueConfiguration {

    private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");

    private final String name;
    private @Nullable Integer parallelism;
    private boolean sequential;
    private @Nullable Integer capacity;
    private boolean durable;
    private final Map<Class<?>, Function<Object, ?>> partitionKeys = new LinkedHashMap<>();
    private @Nullable String partitionByProperty;

    LocalQueueConfiguration(String name) {
        this.name = name;
    }

    /**
     * The default queue name of a message type: its simple name in kebab-case
     * ({@code SignUpRequest} → {@code sign-up-request}).
     * @param messageType the message type
     * @return the queue name
     */
    public static String defaultNameFor(Class<?> messageType) {
        String simple = messageType.getSimpleName();
        StringBuilder out = new StringBuilder(simple.length() + 8);
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean previousLower = i > 0 && !Character.isUpperCase(simple.charAt(i - 1));
                boolean nextLower = i > 0 && i + 1 < simple.length() && Character.isLowerCase(simple.charAt(i + 1))
                        && Character.isUpperCase(simple.charAt(i - 1));
                if (i > 0 && (previousLower || nextLower) && out.charAt(out.length() - 1) != '-') {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else if (c == '$' || c == '_') {
                out.append('-');
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "queue name");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid local queue name '" + name
                    + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    /**
     * Sets how many handlers of this queue run at once.
     * @param parallelism how many handlers of this queue may run at once; at least 1
     * @return this configuration
     */
    public LocalQueueConfiguration maximumParallelMessages(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("maximumParallelMessages must be at least 1, was " + parallelism
                    + " (queue '" + name + "')");
        }
        this.parallelism = parallelism;
        this.sequential = false;
        return this;
    }

    /**
     * Handles messages one at a time in publish order.
     * @return this configuration
     */
    public LocalQueueConfiguration sequential() {
        this.sequential = true;
        this.parallelism = 1;
        return this;
    }

    /**
     * Sets how many messages may wait.
     * @param capacity how many messages may wait (not counting those being handled); at least 1
     * @return this configuration
     */
    public LocalQueueConfiguration capacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity + " (queue '" + name + "')");
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * Backs this queue with the PostgreSQL inbox so its messages survive a restart.
     * @return this configuration
     */
    public LocalQueueConfiguration durable() {
        this.durable = true;
        return this;
    }

    /**
     * Orders messages of the given type per key: same key one at a time in publish order,
     * different keys in parallel up to the queue's parallelism.
     * @param messageType the message type (or a supertype) the key is read from
     * @param key extracts the key; equal keys (by {@code equals}) are ordered
     * @param <T> the message type
     * @return this configuration
     */
    @SuppressWarnings("unchecked")
    public <T> LocalQueueConfiguration partitionedBy(Class<T> messageType, Function<T, ?> key) {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(key, "key");
        partitionKeys.put(messageType, (Function<Object, ?>) key);
        this.sequential = false;
        return this;
    }

    /**
     * Property form of {@link #partitionedBy}: the named record component or getter of every
     * message routed to this queue is its key. Java key functions take precedence for their types.
     * @param property a record component or getter name, e.g. {@code productId}
     * @return this configuration
     */
    public LocalQueueConfiguration partitionedByProperty(String property) {
        this.partitionByProperty = Objects.requireNonNull(property, "property");
        this.sequential = false;
        return this;
    }

    /**
     * Returns the queue name.
     * @return the queue name
     */
    public String name() { return name; }

    /**
     * Returns the configured parallelism, or {@code null} for the default.
     * @return the configured parallelism, or {@code null} for the default
     */
    public @Nullable Integer parallelism() { return parallelism; }

    /**
     * Returns whether the queue is strictly ordered.
     * @return whether the queue is strictly ordered
     */
    public boolean isSequential() { return sequential; }

    /**
     * Returns the configured capacity, or {@code null} for the default.
     * @return the configured capacity, or {@code null} for the default
     */
    public @Nullable Integer capacity() { return capacity; }

    /**
     * Returns whether the queue is durable.
     * @return whether the queue is durable
     */
    public boolean isDurable() { return durable; }

    /**
     * Returns key functions by message type.
     * @return key functions by message type
     */
    public Map<Class<?>, Function<Object, ?>> partitionKeys() { return Collections.unmodifiableMap(partitionKeys); }

    /**
     * Returns the property-form partition key, or {@code null}.
     * @return the property-form partition key, or {@code null}
     */
    public @Nullable String partitionByProperty() { return partitionByProperty; }

    /**
     * Returns whether messages are ordered per key.
     * @return whether messages are ordered per key
     */
    public boolean isPartitioned() { return !partitionKeys.isEmpty() || partitionByProperty != null; }
}
