package dev.critter.observability;

import java.util.Map;

import dev.critter.Envelope;
import dev.critter.runtime.MessageObservations;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/** Creates Critter's {@link CritterObservation}s on the application's observation registry. */
public final class CritterObservations implements MessageObservations {

    private static final HandleObservationConvention DEFAULT_HANDLE = new DefaultHandleObservationConvention();
    private static final SendObservationConvention DEFAULT_SEND = new DefaultSendObservationConvention();

    private final ObservationRegistry registry;
    private final @Nullable HandleObservationConvention handleConvention;
    private final @Nullable SendObservationConvention sendConvention;

    /**
     * Creates the observations' factory.
     * @param registry the registry to observe on
     * @param handleConvention the application's convention for handler attempts, or {@code null} for the default
     * @param sendConvention the application's convention for sends, or {@code null} for the default
     */
    public CritterObservations(ObservationRegistry registry, @Nullable HandleObservationConvention handleConvention,
                               @Nullable SendObservationConvention sendConvention) {
        this.registry = registry;
        this.handleConvention = handleConvention;
        this.sendConvention = sendConvention;
    }

    @Override
    public Observation handling(Envelope envelope, String handler, String destination) {
        return CritterObservation.HANDLE.observation(handleConvention, DEFAULT_HANDLE,
                () -> new HandleObservationContext(envelope, handler, destination), registry);
    }

    /**
     * {@inheritDoc}
     * <p>A send with no observation current on this thread, of a message that already carries a
     * trace context (a requeue, a scheduled retry, a dead-letter replay: sent before, from inside
     * a handler or a request), is not observed: it keeps the trace it carries instead of starting
     * a new one.
     */
    @Override
    public Observation sending(Envelope envelope, String destination, Map<String, String> headers) {
        if (registry.getCurrentObservation() == null && carriesTraceContext(envelope)) {
            return Observation.NOOP;
        }
        return CritterObservation.SEND.observation(sendConvention, DEFAULT_SEND,
                () -> new SendObservationContext(envelope, destination, headers), registry);
    }

    private static boolean carriesTraceContext(Envelope envelope) {
        Map<String, String> headers = envelope.headers();
        // W3C (OpenTelemetry, Brave's default in Boot) and B3 (Brave, Zipkin).
        return headers.containsKey("traceparent") || headers.containsKey("b3") || headers.containsKey("X-B3-TraceId");
    }
}
