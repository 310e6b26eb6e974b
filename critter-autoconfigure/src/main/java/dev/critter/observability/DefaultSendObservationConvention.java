package dev.critter.observability;

import dev.critter.Envelope;

import io.micrometer.common.KeyValues;

import static dev.critter.observability.CritterObservation.HighCardinalityKeys;
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
                SendLowCardinalityKeys.OUTCOME.withValue(
                        context.getError() == null ? CritterMetricNames.SUCCESS : CritterMetricNames.FAILURE));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SendObservationContext context) {
        Envelope envelope = context.envelope();
        return KeyValues.of(HighCardinalityKeys.MESSAGE_ID.withValue(envelope.id().toString()),
                HighCardinalityKeys.TENANT.withValue(
                        envelope.tenantId() != null ? envelope.tenantId() : CritterMetricNames.NO_TENANT));
    }
}
