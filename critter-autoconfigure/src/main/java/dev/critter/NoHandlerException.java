package dev.critter;

import java.util.List;

/**
 * Thrown by {@link IMessageBus#invoke} when no handler exists for the message's type. The message
 * names the methods that look like handlers of the type but that Critter does not call (not
 * public, or without the message parameter), when there are any.
 */
public class NoHandlerException extends RuntimeException {

    /**
     * Creates the exception.
     * @param messageType the message type name that has no handler
     */
    public NoHandlerException(String messageType) {
        this(messageType, List.of());
    }

    /**
     * Creates the exception, naming the near misses of the message type.
     * @param messageType the message type name that has no handler
     * @param nearMisses methods that look like its handler but are not called, each with the fix
     */
    public NoHandlerException(String messageType, List<String> nearMisses) {
        super(message(messageType, nearMisses));
    }

    private static String message(String messageType, List<String> nearMisses) {
        String message = "No handler for message type " + messageType
                + ": write a public class named ...Handler or ...Consumer with a public handle("
                + simpleName(messageType) + ") method in a scanned package";
        if (nearMisses.isEmpty()) {
            return message;
        }
        return message + ". Found, but not called: " + String.join("; ", nearMisses);
    }

    private static String simpleName(String typeName) {
        return typeName.substring(typeName.lastIndexOf('.') + 1);
    }
}
