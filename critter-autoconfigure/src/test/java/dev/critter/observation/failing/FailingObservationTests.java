package dev.critter.observation.failing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.observability.HandleObservationContext;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An observation handler of the application that throws when a handler's observation starts must
 * not leave the failed attempt's context behind on the caller's thread, where it would swallow
 * whatever that thread publishes next.
 */
class FailingObservationTests {

    public record Ping(String id) { }

    static final Set<String> handled = ConcurrentHashMap.newKeySet();
    static volatile boolean failStarts;
    /** Fails the start of handling observations only, so the publish itself goes through. */
    static volatile boolean failHandleStarts;
    /** Fails the stop of handling observations, after the handler ran. */
    static volatile boolean failHandleStops;

    public static class PingHandler {
        public void handle(Ping ping) {
            handled.add(ping.id());
        }
    }

    /** Throws on start while {@link #failStarts} is set. */
    static final class FailingStarts implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            if (failStarts || (failHandleStarts && context instanceof HandleObservationContext)) {
                throw new IllegalStateException("observation handler fails on start");
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            if (failHandleStops && context instanceof HandleObservationContext) {
                throw new IllegalStateException("observation handler fails on stop");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    /** An application whose observation registry has the {@link FailingStarts} handler. */
    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(FailingObservationTests.class)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(new FailingStarts());
                    return registry;
                });
    }

    @Test
    void aPublishAfterAnInvokeWhoseObservationFailedToStartIsSentNotKeptInTheFailedAttempt() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            failStarts = true;
            try {
                assertThatThrownBy(() -> bus.invoke(new Ping("invoked")))
                        .hasMessageContaining("observation handler fails on start");
            } finally {
                failStarts = false;
            }

            bus.publish(new Ping("published-after"));
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains("published-after"));
        });
    }

    @Test
    void aQueuedMessageWhoseHandlingObservationFailsToStartIsDeadLetteredNotDropped() {
        runner().run(context -> {
            DeadLetters deadLetters = context.getBean(DeadLetters.class);
            failHandleStarts = true;
            try {
                context.getBean(IMessageBus.class).publish(new Ping("queued"));
                await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.count() == 1);
            } finally {
                failHandleStarts = false;
            }
            DeadLetter letter = deadLetters.list().get(0);
            assertThat(letter.envelope().message()).isEqualTo(new Ping("queued"));
            assertThat(letter.handler()).isEqualTo(PingHandler.class.getName()
                    + "#handle(" + Ping.class.getName() + ")");
        });
    }

    @Test
    void aHandlerThatSucceededIsNotDeadLetteredWhenItsObservationFailsToStop() {
        runner().run(context -> {
            failHandleStops = true;
            try {
                context.getBean(MessageTracking.class).publishAndWait(new Ping("stop-fails"));
            } finally {
                failHandleStops = false;
            }
            assertThat(handled).contains("stop-fails");
            assertThat(context.getBean(DeadLetters.class).count()).isZero();
        });
    }
}
