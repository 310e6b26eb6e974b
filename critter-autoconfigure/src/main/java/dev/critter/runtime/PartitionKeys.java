package dev.critter.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
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
        Map<Class<?>, Function<Object, ?>> javaKeys = Map.copyOf(queue.partitionKeys());
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
        return envelope -> {
            Object message = envelope.message();
            for (Map.Entry<Class<?>, Function<Object, ?>> key : javaKeys.entrySet()) {
                if (key.getKey().isInstance(message)) {
                    return key.getValue().apply(message);
                }
            }
            Optional<MethodHandle> accessor = accessors.get(message.getClass());
            if (accessor.isEmpty()) {
                return null;
            }
            try {
                return (Object) accessor.get().invokeExact(message);
            } catch (RuntimeException | Error ex) {
                throw ex;
            } catch (Throwable ex) {
                throw new IllegalStateException("Reading partition key '" + property + "' of " + message.getClass(), ex);
            }
        };
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
