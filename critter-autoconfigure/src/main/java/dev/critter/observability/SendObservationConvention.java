package dev.critter.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link CritterObservation#SEND} observations. Define a bean of this type to
 * replace {@link DefaultSendObservationConvention}.
 */
public interface SendObservationConvention extends ObservationConvention<SendObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SendObservationContext;
    }
}
