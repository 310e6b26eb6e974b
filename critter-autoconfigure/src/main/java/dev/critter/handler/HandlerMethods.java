package dev.critter.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.critter.NotHandler;

/** The discovery rules for handler methods inside a handler class. */
final class HandlerMethods {

    static final Set<String> METHOD_NAMES = Set.of("handle", "handleAsync", "consume", "consumeAsync");

    private HandlerMethods() {
    }

    /**
     * Lists the handler methods of a class.
     * @param type a handler class
     * @return its public handler methods (declared or inherited), ordered by name and signature
     */
    static List<Method> of(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> METHOD_NAMES.contains(m.getName()))
                .filter(m -> m.getDeclaringClass() != Object.class)
                .filter(m -> !m.isBridge() && !m.isSynthetic())
                .filter(m -> !m.isAnnotationPresent(NotHandler.class))
                .sorted(Comparator.comparing(Method::toGenericString))
                .toList();
    }

    static boolean isStatic(Method method) {
        return Modifier.isStatic(method.getModifiers());
    }

    static boolean isAsync(Method method) {
        return CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    /**
     * The id of the chain of a handler method: fully qualified names throughout, so two message
     * types sharing a simple name never share an id, and nothing in it changes between runs.
     * @return e.g. {@code com.acme.OrderHandler#handle(com.acme.PlaceOrder)}
     */
    static String chainId(Class<?> handlerClass, Method method) {
        StringBuilder s = new StringBuilder(handlerClass.getName()).append('#').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ", ").append(types[i].getTypeName());
        }
        return s.append(')').toString();
    }

    /**
     * Returns e.g. {@code OrderHandler.handle(PlaceOrder)}.
     * @return e.g. {@code OrderHandler.handle(PlaceOrder)}
     */
    static String shortName(Method method) {
        return shortName(method.getDeclaringClass(), method);
    }

    /**
     * Returns e.g. {@code OrderHandler.handle(PlaceOrder)}, named after the handler class that has the method.
     * @return e.g. {@code OrderHandler.handle(PlaceOrder)}, named after the handler class that has the method
     */
    static String shortName(Class<?> handlerClass, Method method) {
        StringBuilder s = new StringBuilder(handlerClass.getSimpleName())
                .append('.').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return s.append(')').toString();
    }
}
