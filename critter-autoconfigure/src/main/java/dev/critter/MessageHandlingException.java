package dev.critter;

/**
 * Wraps a checked exception thrown by a handler, as {@link IMessageBus#invoke} rethrows it.
 * Unchecked handler exceptions arrive as they are.
 */
public class MessageHandlingException extends RuntimeException {

    /**
     * Creates the exception.
     * @param message what failed
     * @param cause the handler's original exception
     */
    public MessageHandlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
