package dev.critter.local;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.critter.CritterConfigurationException;
import dev.critter.Envelope;
import dev.critter.LocalQueueConfiguration;

import org.jspecify.annotations.Nullable;

/**
 * Builds the key function of a partitioned queue: Java key functions by message type first, then
 * the property form (a record component or getter, read through a method handle resolved once
 * per class).
 */
final class PartitionKeys {

    private PartitionKeys() {
    }

    static Function<Envelope, @Nullable Object> of(LocalQueueConfiguration queue, Collection<Class<?>> routedTypes) {
        // Declaration order (the configuration keeps it): the first key function whose type matches wins.
        Map<Class<?>, Function<Object, ?>> javaKeys = new LinkedHashMap<>(queue.partitionKeys());
        String property = queue.partitionByProperty();
        ClassValue<Optional<MethodHandle>> accessors = new ClassValue<>() {
            @Override
            protected Optional<MethodHandle> computeValue(Class<?> type) {
                return property == null ? Optional.empty() : accessor(type, property);
            }
        };
        if (property != null) {
            for (Class<?> type : routedTypes) {
                if (javaKeys.keySet().stream().noneMatch(k -> k.isAssignableFrom(type))
                        && accessors.get(type).isEmpty()) {
                    throw new CritterConfigurationException("critter.local.queues." + queue.name() + ".partition-by="
                            + property + ": message type " + type.getName() + " has no record component or getter '"
                            + property + "'", "Name a property every message routed to '" + queue.name()
                            + "' has, or use o.localQueue(\"" + queue.name() + "\").partitionedBy(" + type.getSimpleName()
                            + ".class, m -> ...)");
                }
            }
        }
        // The key function of each message class is chosen once; per message it is one lookup and a call.
        ClassValue<Function<Object, @Nullable Object>> keyOfClass = new ClassValue<>() {
            @Override
            protected Function<Object, @Nullable Object> computeValue(Class<?> type) {
                for (Map.Entry<Class<?>, Function<Object, ?>> key : javaKeys.entrySet()) {
                    if (key.getKey().isAssignableFrom(type)) {
                        return key.getValue()::apply;
                    }
                }
                return accessors.get(type).<Function<Object, @Nullable Object>>map(handle -> m -> read(handle, m, property))
                        .orElse(m -> null);
            }
        };
        return envelope -> keyOfClass.get(envelope.message().getClass()).apply(envelope.message());
    }

    private static @Nullable Object read(MethodHandle accessor, Object message, @Nullable String property) {
        try {
            return (Object) accessor.invokeExact(message);
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new IllegalStateException("Reading partition key '" + property + "' of " + message.getClass(), ex);
        }
    }

    private static Optional<MethodHandle> accessor(Class<?> type, String property) {
        Method method = null;
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(property)) {
                    method = component.getAccessor();
                }
            }
        }
        String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : new String[] {property, "get" + capitalized, "is" + capitalized}) {
            if (method != null) {
                break;
            }
            try {
                Method candidate = type.getMethod(name);
                if (candidate.getReturnType() != void.class && !Modifier.isStatic(candidate.getModifiers())) {
                    method = candidate;
                }
            } catch (NoSuchMethodException ex) {
                // try the next naming convention
            }
        }
        if (method == null) {
            return Optional.empty();
        }
        try {
            method.setAccessible(true);
            MethodHandle handle = MethodHandles.lookup().unreflect(method);
            return Optional.of(handle.asType(MethodType.methodType(Object.class, Object.class)));
        } catch (IllegalAccessException | RuntimeException ex) {
            return Optional.empty();
        }
    }
}
