package dev.critter;

/** Thrown by {@link IMessageBus#send} when no destination takes the message's type. */
public class NoRoutesException extends RuntimeException {

    /**
     * Creates the exception.
     * @param messageType the message type name that has no route
     */
    public NoRoutesException(String messageType) {
        super("No route for message type " + messageType
                + ": add a handler for it or a publishing rule (o.publish(r -> r.message(...).to...))");
    }
}
