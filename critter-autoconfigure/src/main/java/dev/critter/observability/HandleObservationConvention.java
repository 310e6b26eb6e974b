package dev.critter.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link CritterObservation#HANDLE} observations. Define a bean of this type to
 * replace {@link DefaultHandleObservationConvention}.
 */
public interface HandleObservationConvention extends ObservationConvention<HandleObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof HandleObservationContext;
    }
}
