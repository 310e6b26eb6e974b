package dev.critter;

/** Thrown by {@link IMessageBus#invoke} when no handler exists for the message's type. */
public class NoHandlerException extends RuntimeException {

    /**
     * Creates the exception.
     * @param messageType the message type name that has no handler
     */
    public NoHandlerException(String messageType) {
        super("No handler for message type " + messageType
                + ": write a public class named ...Handler or ...Consumer with a handle(" 
                + simpleName(messageType) + ") method in a scanned package");
    }

    private static String simpleName(String typeName) {
        return typeName.substring(typeName.lastIndexOf('.') + 1);
    }
}
