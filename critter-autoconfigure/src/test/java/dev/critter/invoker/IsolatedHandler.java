package dev.critter.invoker;

import dev.critter.MessageContext;

/**
 * A handler the fallback tests load in a class loader of its own; top-level, because a nested
 * class loaded apart from its outer class cannot be introspected.
 */
public class IsolatedHandler {

    public String handle(String message, MessageContext context) {
        if (message.equals("fail")) {
            throw new IllegalStateException("isolated handler failed");
        }
        return message + " from " + getClass().getClassLoader().getClass().getSimpleName();
    }
}
