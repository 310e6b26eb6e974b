package dev.critter.observation.failing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

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

    public static class PingHandler {
        public void handle(Ping ping) {
            handled.add(ping.id());
        }
    }

    /** Throws on start while {@link #failStarts} is set. */
    static final class FailingStarts implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            if (failStarts) {
                throw new IllegalStateException("observation handler fails on start");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void aPublishAfterAnInvokeWhoseObservationFailedToStartIsSentNotKeptInTheFailedAttempt() {
        CritterContexts.scanning(FailingObservationTests.class)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(new FailingStarts());
                    return registry;
                })
                .run(context -> {
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
}
