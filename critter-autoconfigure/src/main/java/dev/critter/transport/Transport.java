package dev.critter.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;

import dev.critter.Envelope;

/**
 * A way of moving messages: local queues, durable local queues, RabbitMQ. At start-up the
 * runtime asks each transport to build its endpoints from the configuration, handing it the
 * {@link EnvelopeReceiver} through which every envelope it receives goes back to the pipeline.
 * Transports never import the runtime: this interface, the receiver and {@link Endpoint} are
 * all they share with it.
 */
public interface Transport {

    /**
     * Returns the scheme of the destinations this transport owns, e.g. {@code local}.
     * @return the scheme of the destinations this transport owns, e.g. {@code local}
     */
    String scheme();

    /**
     * Builds this transport's endpoints, once, before {@link #start()}.
     * @param configuration what Critter is configured with and which message types have handlers
     * @param receiver where received envelopes go, on the transport's own threads
     * @return the endpoints, each with a destination of this transport's scheme
     */
    List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver);

    /**
     * The destination a handled message type goes to when no publishing rule matches it, if this
     * transport provides one (local queues do: a queue named after the type).
     * @param handledType a message type some handler takes
     * @return its conventional destination, or empty
     */
    default Optional<Destination> conventionalDestination(Class<?> handledType) {
        return Optional.empty();
    }

    /**
     * The endpoint a message type that no publishing rule matches goes to, before any handled
     * type's conventional destination, if this transport routes every such type by a convention of
     * its own (RabbitMQ's conventional routing: an exchange per message type). Asked once per
     * message class, after {@link #endpoints}; the transport may build the endpoint then.
     * @param messageType the class of a message being published
     * @return its endpoint, or empty to leave it to the handled-type conventions
     */
    default Optional<Endpoint> conventionalRoute(Class<?> messageType) {
        return Optional.empty();
    }

    /**
     * Where replies to this node's requests sent through this transport come back to (a queue only
     * this node consumes), if the transport carries request/reply between processes. Envelopes
     * received there that carry a reply header are answers to waiting callers.
     * @return this node's reply address on this transport, or empty
     */
    default Optional<Destination> replyDestination() {
        return Optional.empty();
    }

    /**
     * An endpoint for another node's reply address (its {@link #replyDestination()}), built on demand.
     * @param replyTo a reply address of this transport's scheme, from a request envelope
     * @return the endpoint, or empty when this transport cannot reach it
     */
    default Optional<Endpoint> replyEndpoint(Destination replyTo) {
        return Optional.empty();
    }

    /** Starts receiving: from here on envelopes reach the receiver. */
    void start();

    /**
     * Stops receiving: stops taking outside messages and lets what is in flight finish, within the
     * timeout; what is abandoned then is logged with its handlers.
     * @param timeout how long to wait for in-flight work
     * @param handlerOf names the handler(s) of an envelope, for the report of abandoned messages
     */
    void stop(Duration timeout, Function<Envelope, String> handlerOf);

    /**
     * Returns the depth of each of this transport's queues by name, for gauges.
     * @return the depth of each of this transport's queues by name, for gauges
     */
    default Map<String, IntSupplier> queueDepths() {
        return Map.of();
    }
}
