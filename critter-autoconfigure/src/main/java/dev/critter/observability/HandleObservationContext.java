package dev.critter.observability;

import dev.critter.Envelope;

import io.micrometer.observation.transport.ReceiverContext;

/**
 * The context of a {@link CritterObservation#HANDLE} observation. Its carrier is the envelope:
 * a tracing bridge reads the sender's {@code traceparent} from its headers.
 */
public final class HandleObservationContext extends ReceiverContext<Envelope> {

    private final Envelope envelope;
    private final String handler;
    private final String destination;

    /**
     * Creates the context of one handler attempt.
     * @param envelope the handled message
     * @param handler the handler, e.g. {@code OrderHandler.handle(PlaceOrder)}
     * @param destination where the message arrived, or {@code invoke} when run inline
     */
    public HandleObservationContext(Envelope envelope, String handler, String destination) {
        super((carrier, key) -> carrier.headers().get(key));
        this.envelope = envelope;
        this.handler = handler;
        this.destination = destination;
        setCarrier(envelope);
    }

    /**
     * The message being handled.
     * @return the envelope
     */
    public Envelope envelope() {
        return envelope;
    }

    /**
     * The handler running.
     * @return the handler, e.g. {@code OrderHandler.handle(PlaceOrder)}
     */
    public String handler() {
        return handler;
    }

    /**
     * Where the message arrived.
     * @return the destination address, or {@code invoke} when run inline
     */
    public String destination() {
        return destination;
    }
}
