package dev.critter.runtime;

import dev.critter.Envelope;
import dev.critter.handler.HandlerChain;
import dev.critter.transport.Endpoint;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The observation and MDC entries of one handler attempt: opened before the handler runs, closed
 * after its cascades were handed over (so they are sent inside the attempt's observation and the
 * trace continues through them). Without observations and MDC a shared instance does nothing.
 */
class AttemptScope {

    private static final AttemptScope NONE = new AttemptScope();

    static AttemptScope open(Instrumentation instrumentation, Envelope envelope, HandlerChain chain,
                             @Nullable Endpoint from) {
        MessageObservations observations = instrumentation.observations();
        boolean mdc = from != null ? instrumentation.mdcQueued() : instrumentation.mdcInline();
        if (observations == null && !mdc) {
            return NONE;
        }
        return new Active(observations, mdc, envelope, chain.shortName(),
                from != null ? from.address() : ChainRunner.INLINE);
    }

    /**
     * Records that the attempt failed.
     * @param failure what the handler threw
     */
    void failed(Throwable failure) {
    }

    void close() {
    }

    private static final class Active extends AttemptScope {

        private static final Log logger = LogFactory.getLog(AttemptScope.class);

        private final String handler;
        private final @Nullable Observation observation;
        private final Observation.@Nullable Scope scope;
        private final @Nullable String @Nullable [] previousMdc;

        Active(@Nullable MessageObservations observations, boolean mdc, Envelope envelope, String handler,
               String destination) {
            this.handler = handler;
            this.previousMdc = mdc ? MessageMdc.put(envelope, handler) : null;
            if (observations != null) {
                try {
                    this.observation = observations.handling(envelope, handler, destination).start();
                    this.scope = observation.openScope();
                } catch (RuntimeException | Error ex) {
                    // An observation handler of the application threw: leave the MDC as it was.
                    if (previousMdc != null) {
                        MessageMdc.restore(previousMdc);
                    }
                    throw ex;
                }
            } else {
                this.observation = null;
                this.scope = null;
            }
        }

        @Override
        void failed(Throwable failure) {
            if (observation != null) {
                observation.error(failure);
            }
        }

        /**
         * Never throws: the attempt's outcome is settled by now (a handler that succeeded has
         * released its cascades), and an observation handler failing on stop must not turn it into
         * a failure that a dead letter and its replay would run again.
         */
        @Override
        void close() {
            try {
                if (scope != null) {
                    scope.close();
                }
                if (observation != null) {
                    observation.stop();
                }
            } catch (RuntimeException ex) {
                logger.warn("An observation handler failed when the observation of " + handler + " stopped", ex);
            } finally {
                if (previousMdc != null) {
                    MessageMdc.restore(previousMdc);
                }
            }
        }
    }
}
