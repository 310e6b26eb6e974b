package dev.critter.handler;

import org.jspecify.annotations.Nullable;

/**
 * A method that looks like a handler method but that Critter will not call, found at start-up so
 * the user hears about it then, and again in a {@code NoHandlerException}.
 * @param method e.g. {@code OrderHandler.handle(PlaceOrder)}
 * @param messageType the type of its first parameter, or {@code null} when it has none
 * @param problem why Critter does not call it
 * @param fix what to change
 */
public record NearMiss(String method, @Nullable Class<?> messageType, String problem, String fix) {

    /**
     * Tells whether this near miss may be the handler the user meant for a message.
     * @param messageClass the class of a message that found no handler
     * @return true when its parameter accepts the message, or when it has no parameter
     */
    boolean concerns(Class<?> messageClass) {
        return messageType == null || messageType.isAssignableFrom(messageClass);
    }

    /**
     * Describes the near miss in one line, as logged at start-up.
     * @return the method, the problem and the fix
     */
    public String describe() {
        return method + " " + problem + "; " + fix;
    }
}
