package dev.critter.observability;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Critter makes: one per handler attempt and one per send. Their contexts carry
 * the envelope, so a tracing bridge (OpenTelemetry, Brave) reads and writes the W3C
 * {@code traceparent} header on it and a trace continues from a publisher through every queue.
 */
public enum CritterObservation implements ObservationDocumentation {

    /** One handler attempt: every chain, every retry, inline {@code invoke} too. */
    HANDLE {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultHandleObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return HandleLowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    },

    /** One hand-over of a message to a destination (every route, cascade, requeue and replay). */
    SEND {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultSendObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return SendLowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Low-cardinality keys of {@link #HANDLE} (also tags of the timer Boot derives from it). */
    public enum HandleLowCardinalityKeys implements KeyName {

        /** The message type name. */
        MESSAGE_TYPE(CritterMetricNames.MESSAGE_TYPE),
        /** Where the message arrived, e.g. {@code local://orders}, or {@code invoke} when run inline. */
        DESTINATION(CritterMetricNames.DESTINATION),
        /** The handler, e.g. {@code OrderHandler.handle(PlaceOrder)}. */
        HANDLER(CritterMetricNames.HANDLER),
        /** {@code success} or {@code failure}. */
        OUTCOME(CritterMetricNames.OUTCOME);

        private final String key;

        HandleLowCardinalityKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /** Low-cardinality keys of {@link #SEND}. */
    public enum SendLowCardinalityKeys implements KeyName {

        /** The message type name. */
        MESSAGE_TYPE(CritterMetricNames.MESSAGE_TYPE),
        /** The destination address, e.g. {@code local://orders}. */
        DESTINATION(CritterMetricNames.DESTINATION),
        /** {@code success}, or {@code failure} when the destination refused the message. */
        OUTCOME(CritterMetricNames.OUTCOME);

        private final String key;

        SendLowCardinalityKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /** High-cardinality keys of both observations (on spans, never on metrics). */
    public enum HighCardinalityKeys implements KeyName {

        /** The message id. */
        MESSAGE_ID(CritterMetricNames.MESSAGE_ID),
        /** The tenant id, or {@code none}. */
        TENANT(CritterMetricNames.TENANT);

        private final String key;

        HighCardinalityKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
