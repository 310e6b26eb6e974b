package dev.critter.propagation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.runtime.MessageContextAccessor;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Micrometer context propagation, work a handler hands to an executor still belongs to the
 * message: the singleton bus publishes from there as that handler's context (cascade with its
 * tenant and causation), exactly as on the handler's own thread.
 */
class ContextPropagationTests {

    public record Enrich(String id, boolean propagate) { }
    public record Enriched(String id) { }

    static final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    /** The application's singleton bus (a handler's IMessageBus parameter is its own context instead). */
    static volatile IMessageBus singletonBus;

    public static class EnrichHandler {
        public CompletableFuture<Void> handleAsync(Enrich enrich) {
            Runnable publish = () -> singletonBus.publish(new Enriched(enrich.id()));
            Runnable task = enrich.propagate()
                    ? ContextSnapshotFactory.builder().build().captureAll().wrap(publish) : publish;
            return CompletableFuture.runAsync(task, executor);
        }
    }

    static final Map<String, Envelope> enrichedEnvelopes = new ConcurrentHashMap<>();

    /** Its handler hands work to an executor, carrying its context, and returns before that work publishes. */
    public record FireAndForget(String id) { }
    static volatile CountDownLatch handlerReturned = new CountDownLatch(1);
    static volatile CompletableFuture<Void> background;

    public static class FireAndForgetHandler {
        public void handle(FireAndForget message) {
            Runnable later = () -> {
                try {
                    handlerReturned.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                singletonBus.publish(new Enriched(message.id()));
            };
            background = CompletableFuture.runAsync(ContextSnapshotFactory.builder().build().captureAll().wrap(later), executor);
        }
    }

    @Test
    void aPublishThroughTheBusFromAPropagatedContextWhoseHandlerReturnedIsSentOnItsOwnInTheSameConversation() {
        CritterContexts.scanning(ContextPropagationTests.class).run(context -> {
            singletonBus = context.getBean(IMessageBus.class);
            handlerReturned = new CountDownLatch(1);
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> context
                    .getBean(IMessageBus.class).publish(new FireAndForget("late"),
                            DeliveryOptions.builder().tenantId("acme").build()));
            Envelope fired = only(session, FireAndForget.class);
            handlerReturned.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> background != null && background.isDone());
            assertThat(background).isNotCompletedExceptionally();
            Envelope late = await().atMost(Duration.ofSeconds(10))
                    .until(() -> enrichedEnvelopes.get("late"), e -> e != null);
            assertThat(late.tenantId()).isEqualTo("acme");
            assertThat(late.causationId()).isEqualTo(fired.id());
            assertThat(late.correlationId()).isEqualTo(fired.correlationId());
        });
    }

    public static class EnrichedHandler {
        public void handle(Enriched enriched, Envelope envelope) {
            enrichedEnvelopes.put(enriched.id(), envelope);
        }
    }

    @Test
    void theMessageContextAccessorIsRegisteredWithMicrometersContextRegistry() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anySatisfy(accessor -> assertThat(accessor.key()).isEqualTo(MessageContextAccessor.KEY));
    }

    @Test
    void aPublishFromAnExecutorTaskCarryingTheContextIsACascadeWithTheHandlersTenantAndCausation() {
        CritterContexts.scanning(ContextPropagationTests.class).run(context -> {
            singletonBus = context.getBean(IMessageBus.class);
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> context
                    .getBean(IMessageBus.class).publish(new Enrich("e-1", true),
                            DeliveryOptions.builder().tenantId("acme").build()));

            Envelope enrich = only(session, Enrich.class);
            Envelope enriched = only(session, Enriched.class);
            assertThat(enriched.tenantId()).isEqualTo("acme");
            assertThat(enriched.causationId()).isEqualTo(enrich.id());
            assertThat(enriched.correlationId()).isEqualTo(enrich.correlationId());
        });
    }

    @Test
    void withoutPropagationTheSamePublishStartsANewConversationWithoutTenant() {
        CritterContexts.scanning(ContextPropagationTests.class).run(context -> {
            singletonBus = context.getBean(IMessageBus.class);
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.executeAndWait(() -> context.getBean(IMessageBus.class).publish(new Enrich("e-2", false),
                            DeliveryOptions.builder().tenantId("acme").build()));

            Envelope enriched = await().atMost(Duration.ofSeconds(10))
                    .until(() -> enrichedEnvelopes.get("e-2"), e -> e != null);
            assertThat(enriched.tenantId()).isNull();
            assertThat(enriched.causationId()).isNull();
        });
    }

    private static Envelope only(TrackedSession session, Class<?> type) {
        return session.executed().envelopes().stream().filter(e -> type.isInstance(e.message())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " handled"));
    }
}
