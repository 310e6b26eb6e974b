package dev.critter.runtime;

import org.jspecify.annotations.Nullable;

/**
 * What the caller of a request waits for, resolved once per delivery of the request.
 * @param type the response type of a caller still waiting; {@code null} when the caller asked
 *             for no response or is gone
 * @param typeName the response type's class name as the request carries it, or {@code null}
 * @param callerGone whether the caller stopped waiting (timed out): a reply is then dropped,
 *                   never published as a cascade
 */
record ExpectedReply(@Nullable Class<?> type, @Nullable String typeName, boolean callerGone) {

    /** One per response type, so a request/reply {@code invoke} allocates none. */
    private static final ClassValue<ExpectedReply> WAITING = new ClassValue<>() {
        @Override
        protected ExpectedReply computeValue(Class<?> type) {
            return new ExpectedReply(type, type.getName(), false);
        }
    };

    private static final ExpectedReply NO_RESPONSE = new ExpectedReply(null, null, false);

    static ExpectedReply waitingFor(@Nullable Class<?> type) {
        return type == null ? NO_RESPONSE : WAITING.get(type);
    }

    /** A caller in another process waits for a reply of this type name; the reply is sent back to it. */
    static ExpectedReply remoteCaller(@Nullable String typeName) {
        return new ExpectedReply(null, typeName, false);
    }

    static ExpectedReply callerGone(@Nullable String typeName) {
        return new ExpectedReply(null, typeName, true);
    }

    /** Whether a handler's return value is the response rather than a cascade. */
    boolean matches(@Nullable Object value) {
        if (value == null) {
            return false;
        }
        if (type != null) {
            return type.isInstance(value);
        }
        // The caller is gone and only the name is known: compared by name, never loaded by name.
        return typeName != null && hasTypeNamed(value.getClass(), typeName);
    }

    private static boolean hasTypeNamed(@Nullable Class<?> type, String name) {
        if (type == null) {
            return false;
        }
        if (type.getName().equals(name)) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (hasTypeNamed(implemented, name)) {
                return true;
            }
        }
        return hasTypeNamed(type.getSuperclass(), name);
    }
}
