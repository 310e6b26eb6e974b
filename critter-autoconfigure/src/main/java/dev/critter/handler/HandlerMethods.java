package dev.critter.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
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
     * @return its public handler methods (declared or inherited) that take the message as first
     *         parameter, ordered by name and signature
     */
    static List<Method> of(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(HandlerMethods::isCandidate)
                .filter(m -> m.getParameterCount() > 0)
                .sorted(Comparator.comparing(Method::toGenericString))
                .toList();
    }

    /**
     * The methods a user may have meant as handler methods but that Critter does not call: named
     * like one, not {@code @NotHandler}, and either not public or without a parameter.
     * @param type a handler class
     * @return those methods, declared or inherited, ordered by name and signature
     */
    static List<Method> nearMisses(Class<?> type) {
        List<Method> misses = new ArrayList<>();
        Set<String> publicSignatures = new HashSet<>();
        for (Method method : type.getMethods()) {
            if (isCandidate(method)) {
                publicSignatures.add(signature(method));
                if (method.getParameterCount() == 0) {
                    misses.add(method);
                }
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (isCandidate(method) && !Modifier.isPublic(method.getModifiers())
                        && publicSignatures.add(signature(method))) {
                    misses.add(method);
                }
            }
        }
        misses.sort(Comparator.comparing(Method::toGenericString));
        return misses;
    }

    /**
     * @param type a class that is not a handler class because it is not public
     * @return its methods that would be handler methods if it were public
     */
    static List<Method> declaredLikeHandlerMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(HandlerMethods::isCandidate)
                .filter(m -> m.getParameterCount() > 0)
                .sorted(Comparator.comparing(Method::toGenericString))
                .toList();
    }

    private static boolean isCandidate(Method method) {
        return METHOD_NAMES.contains(method.getName()) && method.getDeclaringClass() != Object.class
                && !method.isBridge() && !method.isSynthetic() && !method.isAnnotationPresent(NotHandler.class);
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.toString(method.getParameterTypes());
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
