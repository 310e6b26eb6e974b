package dev.critter.contexts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.MessageContext;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextThreadTests {

    public record FanOut(int threads, int each) { }
    public record Item(int n) { }
    public record Late(String id) { }
    public record Never(String id) { }

    static final ExecutorService pool = Executors.newFixedThreadPool(4);
    static final AtomicInteger items = new AtomicInteger();
    static volatile MessageContext lateContext;

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
    void aPublishThroughAContextWhoseAttemptEndedFailsNamingTheHandler() {
        CritterContexts.scanning(ContextThreadTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Late("l"));
            assertThatThrownBy(() -> lateContext.publish(new Never("n")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FanOutHandler.handle(Late, MessageContext)");
        });
    }
}
