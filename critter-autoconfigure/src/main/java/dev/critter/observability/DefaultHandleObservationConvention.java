package dev.critter.observability;

import dev.critter.Envelope;

import io.micrometer.common.KeyValues;

import static dev.critter.observability.CritterObservation.HandleLowCardinalityKeys;
import static dev.critter.observability.CritterObservation.HighCardinalityKeys;

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
                HandleLowCardinalityKeys.OUTCOME.withValue(
                        context.getError() == null ? CritterMetricNames.SUCCESS : CritterMetricNames.FAILURE));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(HandleObservationContext context) {
        Envelope envelope = context.envelope();
        return KeyValues.of(HighCardinalityKeys.MESSAGE_ID.withValue(envelope.id().toString()),
                HighCardinalityKeys.TENANT.withValue(
                        envelope.tenantId() != null ? envelope.tenantId() : CritterMetricNames.NO_TENANT));
    }
}
