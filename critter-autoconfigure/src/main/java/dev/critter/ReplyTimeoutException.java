package dev.critter;

import java.time.Duration;

/** Thrown when a request/reply did not get its reply within {@code critter.invoke.timeout}. */
public class ReplyTimeoutException extends RuntimeException {

    /**
     * Creates the exception.
     * @param messageType the request's message type name
     * @param timeout how long the caller waited
     */
    public ReplyTimeoutException(String messageType, Duration timeout) {
        super("No reply to " + messageType + " within " + timeout
                + " (critter.invoke.timeout); the handler may still be running");
    }
}
