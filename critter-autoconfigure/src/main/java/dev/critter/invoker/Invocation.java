package dev.critter.invoker;

import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/** The generated call of one handler method; implemented by classes generated at start-up. */
@FunctionalInterface
public interface Invocation {

    /**
     * Calls the handler method.
     * @param message the message (already known to be of the handler's parameter type)
     * @param context the current message context, source of per-message arguments
     * @return the method's return value, {@code null} for {@code void}
     * @throws Throwable whatever the handler throws, unwrapped
     */
    @Nullable Object invoke(Object message, MessageContext context) throws Throwable;
}
