package dev.critter.observability;

import io.micrometer.common.KeyValues;

import static dev.critter.observability.CritterObservation.HandleLowCardinalityKeys;

/**
 * The default names and keys of {@link CritterObservation#HANDLE}: name
 * {@value CritterMetricNames#HANDLE_OBSERVATION}, contextual name {@code handle <message type>}.
 */
public class DefaultHandleObservationConvention implements HandleObservationConvention {

    /** Creates the convention. */
    public DefaultHandleObservationConvention() {
    }

    @Override
    public String getName() {
        return CritterMetricNames.HANDLE_OBSERVATION;
    }

    @Override
    public String getContextualName(HandleObservationContext context) {
        return "handle " + context.envelope().messageType();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(HandleObservationContext context) {
        return KeyValues.of(HandleLowCardinalityKeys.MESSAGE_TYPE.withValue(context.envelope().messageType()),
                HandleLowCardinalityKeys.DESTINATION.withValue(context.destination()),
                HandleLowCardinalityKeys.HANDLER.withValue(context.handler()),
                HandleLowCardinalityKeys.OUTCOME.withValue(ObservationKeyValues.outcome(context)));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(HandleObservationContext context) {
        return ObservationKeyValues.highCardinality(context.envelope());
    }
}
