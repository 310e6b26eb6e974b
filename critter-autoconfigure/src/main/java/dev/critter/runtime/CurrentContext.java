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
        // set(null) rather than remove(): workers swap on every message, and remove() costs a
        // table expunge each time while a null entry costs nothing.
        DefaultMessageContext previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }
}
