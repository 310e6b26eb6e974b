package dev.critter;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A message whose handling failed for good, with why.
 * @param id the dead letter's own id
 * @param envelope the message as it was last attempted
 * @param destination where it was being handled, e.g. {@code local://orders}
 * @param handler the id of the handler chain that failed (e.g.
 *                {@code com.acme.OrderHandler#handle(com.acme.PlaceOrder)}: fully qualified, stable across restarts), or {@code null}
 *                when the message never reached a handler (unreadable, unknown type)
 * @param exceptionType the exception's class name, or a reason code for bad input
 * @param exceptionMessage the exception's message
 * @param stackTrace the exception's stack trace, or empty
 * @param failedAt when it was dead-lettered
 */
public record DeadLetter(UUID id, Envelope envelope, String destination, @Nullable String handler,
                         String exceptionType, String exceptionMessage, String stackTrace, Instant failedAt) {
}
