package dev.critter.observability;

import dev.critter.Envelope;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;

import static dev.critter.observability.CritterObservation.HighCardinalityKeys;

/** The key values the default handle and send conventions share. */
final class ObservationKeyValues {

    private ObservationKeyValues() {
    }

    /** @return {@code success} or {@code failure}, as the context's error says */
    static String outcome(Observation.Context context) {
        return context.getError() == null ? CritterMetricNames.SUCCESS : CritterMetricNames.FAILURE;
    }

    /** @return the message id and tenant (or the no-tenant value) of the envelope */
    static KeyValues highCardinality(Envelope envelope) {
        return KeyValues.of(HighCardinalityKeys.MESSAGE_ID.withValue(envelope.id().toString()),
                HighCardinalityKeys.TENANT.withValue(
                        envelope.tenantId() != null ? envelope.tenantId() : CritterMetricNames.NO_TENANT));
    }
}
