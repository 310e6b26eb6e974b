package dev.critter.contexts;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ContextThreadTests {

    public record FanOut(int threads, int each) { }
    public record Item(int n) { }
    public record Late(String id) { }
    public record Never(String id) { }
    public record Detached(String id) { }
    public record Sent(String id) { }

    static final ExecutorService pool = Executors.newFixedThreadPool(4);
    static final AtomicInteger items = new AtomicInteger();
    static volatile MessageContext lateContext;
    static final java.util.List<Envelope> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static class FanOutHandler {
        public CompletableFuture<Void> handle(FanOut fanOut, MessageContext context) {
            CompletableFuture<?>[] parts = new CompletableFuture<?>[fanOut.threads()];
            for (int t = 0; t < fanOut.threads(); t++) {
                parts[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < fanOut.each(); i++) {
                        context.publish(new Item(i));
                    }
                }, pool);
            }
            return CompletableFuture.allOf(parts);
        }

        public void handle(Item item) {
            items.incrementAndGet();
        }

        public void handle(Late late, MessageContext context) {
            lateContext = context;
        }

        public void handle(Never never) {
        }

        public void handle(Sent message, MessageContext context) {
            sent.add(context.envelope());
        }
    }

    public static class DetachedHandler {
        private final IMessageBus bus;

        /** @param bus the singleton bus (a method parameter of this type would be the handler's context) */
        public DetachedHandler(IMessageBus bus) {
            this.bus = bus;
        }

        /** Publishes through the singleton bus from an executor thread, then fails. */
        public CompletableFuture<Void> handle(Detached detached) {
            return CompletableFuture.runAsync(() -> bus.publish(new Sent(detached.id())), pool)
                    .thenRun(() -> {
                        throw new IllegalStateException("the handler fails after publishing");
                    });
        }
    }

    @AfterAll
    static void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void anAsyncHandlerPublishesThroughItsContextFromSeveralThreadsAndNothingIsLost() {
        items.set(0);
        CritterContexts.scanning(ContextThreadTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new FanOut(4, 2_000));
            assertThat(items).hasValue(8_000);
        });
    }

    @Test
    void theSingletonBusOnAThreadWithoutAContextIsTheOutsideBus() {
        sent.clear();
        CritterContexts.scanning(ContextThreadTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Detached("d"));
                    // sent on its own: not held (the handler failed), not linked to the handler's message
                    await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 1);
                    assertThat(sent.get(0).message()).isEqualTo(new Sent("d"));
                    assertThat(sent.get(0).causationId()).isNull();
                });
    }

    @Test
    void aPublishThroughAContextWhoseAttemptEndedFailsNamingTheHandler() {
        CritterContexts.scanning(ContextThreadTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Late("l"));
            assertThatThrownBy(() -> lateContext.publish(new Never("n")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FanOutHandler.handle(Late, MessageContext)");
        });
    }
}
