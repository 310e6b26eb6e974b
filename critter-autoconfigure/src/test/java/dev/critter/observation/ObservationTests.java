package dev.critter.observation;

import dev.critter.CritterHandler;
import dev.critter.IMessageBus;
import dev.critter.observability.CritterMetricNames;
import dev.critter.observability.CritterObservation;
import dev.critter.observability.DefaultHandleObservationConvention;
import dev.critter.observability.HandleObservationContext;
import dev.critter.observability.HandleObservationConvention;
import dev.critter.runtime.CritterRuntime;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One observation per handler attempt and per send ({@link CritterObservation}), with the
 * documented keys, read back from Micrometer's {@link TestObservationRegistry} (which also checks
 * that every observation is started, scoped and stopped correctly).
 */
class ObservationTests {

    public record Charge(String id, boolean fail) { }

    public static class ChargeHandler {
        public void handle(Charge charge) {
            if (charge.fail()) {
                throw new IllegalStateException("declined " + charge.id());
            }
        }
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(ObservationTests.class)
                .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("critter.errors.retry-cooldowns=1ms");
    }

    @Test
    void aPublishedMessageIsObservedOnceWhenSentAndOnceWhenHandledWithTheDocumentedKeys() {
        runner().run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Charge("c-1", false));

            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(CritterMetricNames.SEND_OBSERVATION, 1)
                    .hasNumberOfObservationsWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION, 1)
                    .hasObservationWithNameEqualTo(CritterMetricNames.SEND_OBSERVATION).that()
                    .hasBeenStarted().hasBeenStopped()
                    .hasContextualNameEqualTo("send local://charge")
                    .hasLowCardinalityKeyValue(CritterMetricNames.MESSAGE_TYPE, Charge.class.getName())
                    .hasLowCardinalityKeyValue(CritterMetricNames.DESTINATION, "local://charge")
                    .hasLowCardinalityKeyValue(CritterMetricNames.OUTCOME, CritterMetricNames.SUCCESS)
                    .hasHighCardinalityKeyValueWithKey(CritterMetricNames.MESSAGE_ID)
                    .hasHighCardinalityKeyValue(CritterMetricNames.TENANT, CritterMetricNames.NO_TENANT);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION).that()
                    .hasBeenStarted().hasBeenStopped()
                    .hasContextualNameEqualTo("handle " + Charge.class.getName())
                    .hasLowCardinalityKeyValue(CritterMetricNames.MESSAGE_TYPE, Charge.class.getName())
                    .hasLowCardinalityKeyValue(CritterMetricNames.DESTINATION, "local://charge")
                    .hasLowCardinalityKeyValue(CritterMetricNames.HANDLER, "ChargeHandler.handle(Charge)")
                    .hasLowCardinalityKeyValue(CritterMetricNames.OUTCOME, CritterMetricNames.SUCCESS)
                    .doesNotHaveError();
        });
    }

    @Test
    void everyFailedAttemptIsItsOwnObservationWithTheErrorAndOutcomeFailure() {
        runner().run(context -> {
            context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Charge("c-1", true));

            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            // one attempt and one retry (critter.errors.retry-cooldowns=1ms)
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION, 2)
                    .forAllObservationsWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION, observation -> observation
                            .hasLowCardinalityKeyValue(CritterMetricNames.OUTCOME, CritterMetricNames.FAILURE)
                            .hasError()
                            .assertThatError().isInstanceOf(IllegalStateException.class));
        });
    }

    @Test
    void aSendTheDestinationRefusesIsObservedWithTheErrorAndOutcomeFailure() {
        runner().run(context -> {
            context.getBean(CritterRuntime.class).stop();
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).publish(new Charge("c-1", false)))
                    .isInstanceOf(RuntimeException.class);

            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(CritterMetricNames.SEND_OBSERVATION).that()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue(CritterMetricNames.OUTCOME, CritterMetricNames.FAILURE)
                    .hasError();
        });
    }

    @Test
    void anInlineInvokeIsObservedAsHandledAtInvokeWithoutASend() {
        runner().run(context -> {
            context.getBean(IMessageBus.class).invoke(new Charge("c-1", false));

            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(CritterMetricNames.SEND_OBSERVATION, 0)
                    .hasObservationWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION).that()
                    .hasLowCardinalityKeyValue(CritterMetricNames.DESTINATION, "invoke");
        });
    }

    @Test
    void anApplicationConventionBeanReplacesTheDefaultOne() {
        HandleObservationConvention custom = new DefaultHandleObservationConvention() {
            @Override
            public String getName() {
                return "shop.handle";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(HandleObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("shop", "main");
            }
        };
        runner().withBean(HandleObservationConvention.class, () -> custom).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Charge("c-1", false));

            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(CritterMetricNames.HANDLE_OBSERVATION, 0)
                    .hasObservationWithNameEqualTo("shop.handle").that()
                    .hasLowCardinalityKeyValue("shop", "main")
                    .hasLowCardinalityKeyValue(CritterMetricNames.HANDLER, "ChargeHandler.handle(Charge)");
        });
    }

    @Test
    void aHandlerAttemptIsTheCurrentObservationWhileTheHandlerRuns() {
        runner().withBean(CurrentObservationProbe.class).run(context -> {
            context.getBean(IMessageBus.class).invoke(new Probe());
            Observation seen = CurrentObservationProbe.seen;
            assertThat(seen).isNotNull();
            assertThat(seen.getContext().getName()).isEqualTo(CritterMetricNames.HANDLE_OBSERVATION);
        });
    }

    @Test
    void aRegistryWithoutHandlersCostsNothingAndObservesNothing() {
        CountingRegistry counting = new CountingRegistry();
        CritterContexts.scanning(ObservationTests.class).withBean(ObservationRegistry.class, () -> counting)
                .run(context -> {
                    context.getBean(MessageTracking.class).publishAndWait(new Charge("c-1", false));
                    assertThat(counting.currentObservationReads).as("the registry is never asked").isZero();
                });
    }

    public record Probe() { }

    /** Reads the current observation from inside a handler. */
    @CritterHandler
    public static class CurrentObservationProbe {

        static volatile Observation seen;

        private final ObservationRegistry registry;

        public CurrentObservationProbe(ObservationRegistry registry) {
            this.registry = registry;
        }

        public void handle(Probe probe) {
            seen = registry.getCurrentObservation();
        }
    }

    /** A registry with no handler (so {@code isNoop()}) that counts how often it is consulted. */
    static final class CountingRegistry implements ObservationRegistry {

        private final ObservationRegistry delegate = ObservationRegistry.create();
        volatile int currentObservationReads;

        @Override
        public Observation getCurrentObservation() {
            currentObservationReads++;
            return delegate.getCurrentObservation();
        }

        @Override
        public Observation.Scope getCurrentObservationScope() {
            currentObservationReads++;
            return delegate.getCurrentObservationScope();
        }

        @Override
        public void setCurrentObservationScope(Observation.Scope current) {
            delegate.setCurrentObservationScope(current);
        }

        @Override
        public ObservationConfig observationConfig() {
            return delegate.observationConfig();
        }

        @Override
        public boolean isNoop() {
            return delegate.isNoop();
        }
    }
}
