package dev.critter;

import java.util.Objects;

/**
 * One message to publish together with its delivery options; what {@link Messages#delayed} and
 * {@link Messages#scheduledAt} return, and what {@link OutgoingMessages} holds.
 * @param message the message
 * @param options how to deliver it
 */
public record OutgoingMessage(Object message, DeliveryOptions options) {

    /**
     * Checks both parts are present.
     * @param message the message
     * @param options how to deliver it
     */
    public OutgoingMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
    }
}
