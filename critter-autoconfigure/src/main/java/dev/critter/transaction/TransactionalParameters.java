package dev.critter.transaction;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The parameter types that make a handler transactional: JDBC access that would otherwise run
 * outside any transaction, in auto-commit. Matched by class name, so that checking a handler
 * loads no spring-jdbc class, and by supertype, so that a {@code HikariDataSource} parameter
 * counts as a {@code DataSource}.
 */
final class TransactionalParameters {

    /** The types, by name; SPEC §2 names the first four, the others are their Spring siblings. */
    static final List<String> TYPES = List.of(
            "org.springframework.jdbc.core.JdbcTemplate",
            "org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate",
            "javax.sql.DataSource",
            "java.sql.Connection",
            "org.springframework.jdbc.core.JdbcOperations",
            "org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations",
            "org.springframework.jdbc.core.simple.JdbcClient");

    private static final Set<String> NAMES = Set.copyOf(TYPES);

    private TransactionalParameters() {
    }

    /**
     * Names the first parameter that makes a handler method transactional.
     * @param method a handler method
     * @return e.g. {@code parameter 2 is a JdbcTemplate}, or {@code null} when no parameter does
     */
    static @Nullable String reason(Method method) {
        Class<?>[] types = method.getParameterTypes();
        // The first parameter is the message: a message is never a reason for a transaction.
        for (int i = 1; i < types.length; i++) {
            String matched = matchedType(types[i]);
            if (matched != null) {
                return "parameter " + (i + 1) + " is a " + simpleName(matched);
            }
        }
        return null;
    }

    /**
     * Tells whether a method takes a {@link java.sql.Connection} after its message.
     * @param method a handler method
     * @return whether one of its parameters after the first is a {@code Connection}
     */
    static boolean takesConnection(Method method) {
        Class<?>[] types = method.getParameterTypes();
        for (int i = 1; i < types.length; i++) {
            if (types[i] == java.sql.Connection.class) {
                return true;
            }
        }
        return false;
    }

    /** The name of the listed type this type is or extends, or {@code null}. */
    private static @Nullable String matchedType(Class<?> type) {
        Deque<Class<?>> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> candidate = pending.poll();
            if (!seen.add(candidate)) {
                continue;
            }
            if (NAMES.contains(candidate.getName())) {
                return candidate.getName();
            }
            if (candidate.getSuperclass() != null) {
                pending.add(candidate.getSuperclass());
            }
            pending.addAll(List.of(candidate.getInterfaces()));
        }
        return null;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
