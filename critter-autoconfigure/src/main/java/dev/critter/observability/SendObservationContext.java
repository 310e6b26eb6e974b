package dev.critter.observability;

import java.util.Map;

import dev.critter.Envelope;

import io.micrometer.observation.transport.SenderContext;

/**
 * The context of a {@link CritterObservation#SEND} observation. Its carrier is the map of headers
 * the envelope is sent with: a tracing bridge writes {@code traceparent} into it when the
 * observation starts.
 */
public final class SendObservationContext extends SenderContext<Map<String, String>> {

    private final Envelope envelope;
    private final String destination;

    /**
     * Creates the context of one send.
     * @param envelope the message sent
     * @param destination the destination address
     * @param headers the headers the envelope will be sent with, written to by propagation
     */
    public SendObservationContext(Envelope envelope, String destination, Map<String, String> headers) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        this.envelope = envelope;
        this.destination = destination;
        setCarrier(headers);
        setRemoteServiceName(destination);
    }

    /**
     * The message sent.
     * @return the envelope, before the trace headers are added
     */
    public Envelope envelope() {
        return envelope;
    }

    /**
     * Where the message goes.
     * @return the destination address, e.g. {@code local://orders}
     */
    public String destination() {
        return destination;
    }
}
