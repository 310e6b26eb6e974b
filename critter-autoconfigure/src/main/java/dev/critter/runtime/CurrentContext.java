package dev.critter.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The message context of the handler running on this thread, so the singleton bus can behave
 * as that handler's context.
 */
final class CurrentContext {

    private static final ThreadLocal<DefaultMessageContext> CURRENT = new ThreadLocal<>();

    private CurrentContext() {
    }

    static @Nullable DefaultMessageContext get() {
        return CURRENT.get();
    }

    static @Nullable DefaultMessageContext swap(@Nullable DefaultMessageContext context) {
        DefaultMessageContext previous = CURRENT.get();
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
        return previous;
    }
}
