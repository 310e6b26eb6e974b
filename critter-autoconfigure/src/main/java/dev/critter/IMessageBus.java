package dev.critter;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The one entry point for sending messages: publish, send, invoke and schedule.
 * <p>
 * A single bean of this type is in the application context. Called from code that runs inside
 * a handler (directly or through a service the handler calls), it behaves exactly like that
 * handler's {@link MessageContext}: tenant and correlation are inherited and messages are held
 * until the handler succeeds.
 */
public interface IMessageBus {

    /**
     * Publishes a message to every route for its type. A message without a route is logged and
     * counted, not rejected.
     * @param message the message, a plain Java object
     */
    void publish(Object message);

    /**
     * Publishes a message with delivery options (delay, expiry, tenant, headers...).
     * @param message the message
     * @param options how to deliver it
     */
    void publish(Object message, DeliveryOptions options);

    /**
     * Like {@link #publish(Object)}, but fails when the message has no route.
     * @param message the message
     * @throws NoRoutesException when no destination takes the message type
     */
    void send(Object message);

    /**
     * Like {@link #publish(Object, DeliveryOptions)}, but fails when the message has no route.
     * @param message the message
     * @param options how to deliver it
     * @throws NoRoutesException when no destination takes the message type
     */
    void send(Object message, DeliveryOptions options);

    /**
     * Runs the message's handlers now, on the caller's thread, applying their retry policy.
     * @param message the message
     * @throws NoHandlerException when no handler exists for the message type
     */
    void invoke(Object message);

    /**
     * Runs the message's handlers now and returns the response of the requested type.
     * @param message the request
     * @param responseType the type of the expected response
     * @param <T> the response type
     * @return the response returned by a handler (or passed to {@link MessageContext#respond})
     * @throws NoHandlerException when no handler exists for the message type
     */
    <T> T invoke(Object message, Class<T> responseType);

    /**
     * Runs the message's handlers on a worker of the message's local queue.
     * @param message the message
     * @return a future completed when every handler finished, or failed with the handler's error
     */
    CompletableFuture<Void> invokeAsync(Object message);

    /**
     * Runs the message's handlers on a worker and completes with the response of the requested type.
     * @param message the request
     * @param responseType the type of the expected response
     * @param <T> the response type
     * @return a future of the response; fails with {@link ReplyTimeoutException} after
     * {@code critter.invoke.timeout}
     */
    <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType);

    /**
     * Publishes a message to be delivered at the given time.
     * @param message the message
     * @param at when to deliver it
     */
    void schedule(Object message, Instant at);

    /**
     * Publishes a message to be delivered after the given delay.
     * @param message the message
     * @param delay how long to wait before delivering it
     */
    void schedule(Object message, Duration delay);
}
