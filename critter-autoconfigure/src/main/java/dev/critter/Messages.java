package dev.critter;

import java.time.Duration;
import java.time.Instant;

/** Factory methods for handler return values that carry a schedule. */
public final class Messages {

    private Messages() {
    }

    /**
     * Wraps a cascade delivered after a delay.
     * @param message the message to cascade
     * @param delay how long after the handler succeeds it is delivered
     * @return a return value that publishes the message after the delay
     */
    public static OutgoingMessage delayed(Object message, Duration delay) {
        return new OutgoingMessage(message, DeliveryOptions.builder().delay(delay).build());
    }

    /**
     * Wraps a cascade delivered at an instant.
     * @param message the message to cascade
     * @param at when it is delivered
     * @return a return value that publishes the message at that instant
     */
    public static OutgoingMessage scheduledAt(Object message, Instant at) {
        return new OutgoingMessage(message, DeliveryOptions.builder().scheduledAt(at).build());
    }
}
