package dev.critter.observability;

import io.micrometer.common.KeyValues;

import static dev.critter.observability.CritterObservation.SendLowCardinalityKeys;

/**
 * The default names and keys of {@link CritterObservation#SEND}: name
 * {@value CritterMetricNames#SEND_OBSERVATION}, contextual name {@code send <destination>}.
 */
public class DefaultSendObservationConvention implements SendObservationConvention {

    /** Creates the convention. */
    public DefaultSendObservationConvention() {
    }

    @Override
    public String getName() {
        return CritterMetricNames.SEND_OBSERVATION;
    }

    @Override
    public String getContextualName(SendObservationContext context) {
        return "send " + context.destination();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SendObservationContext context) {
        return KeyValues.of(SendLowCardinalityKeys.MESSAGE_TYPE.withValue(context.envelope().messageType()),
                SendLowCardinalityKeys.DESTINATION.withValue(context.destination()),
                SendLowCardinalityKeys.OUTCOME.withValue(ObservationKeyValues.outcome(context)));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SendObservationContext context) {
        return ObservationKeyValues.highCardinality(context.envelope());
    }
}
