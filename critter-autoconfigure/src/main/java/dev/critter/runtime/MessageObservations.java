package dev.critter.runtime;

import java.util.Map;

import dev.critter.Envelope;

import io.micrometer.observation.Observation;

/**
 * Creates the Micrometer {@link Observation}s the runtime wraps around each handler attempt and
 * each send. Implemented outside the runtime (package {@code observability}) so that the
 * observation contexts, conventions and names can be replaced without touching it.
 */
public interface MessageObservations {

    /**
     * Creates, without starting, the observation of one handler attempt.
     * @param envelope the handled message; its headers carry the sender's trace context
     * @param handler the handler, e.g. {@code OrderHandler.handle(PlaceOrder)}
     * @param destination where the message arrived ({@code local://orders}), or {@code invoke} when run inline
     * @return the observation; the runtime starts it, opens a scope for the attempt and stops it
     */
    Observation handling(Envelope envelope, String handler, String destination);

    /**
     * Creates, without starting, the observation of one send to an endpoint.
     * @param envelope the message sent
     * @param destination the endpoint's address
     * @param headers a copy of the envelope's headers; starting the observation writes the trace
     *                context into it (e.g. {@code traceparent}), which the runtime then sends
     * @return the observation; the runtime starts it, sends, and stops it
     */
    Observation sending(Envelope envelope, String destination, Map<String, String> headers);
}
