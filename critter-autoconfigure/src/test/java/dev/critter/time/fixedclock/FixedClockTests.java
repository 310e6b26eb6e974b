package dev.critter.time.fixedclock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose {@code Clock} bean stands still (a frozen clock in its tests, say) and does
 * not announce changes: Critter cannot see time pass on it, so its waits must not last for ever.
 */
class FixedClockTests {

    public record Wobbly(String id) { }

    static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    public static class WobblyHandler {
        public void handle(Wobbly wobbly) {
            if (attempts.computeIfAbsent(wobbly.id(), k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt of " + wobbly.id() + " fails");
            }
        }
    }

    @BeforeEach
    void clear() {
        attempts.clear();
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(FixedClockTests.class)
                .withPropertyValues("critter.errors.retry-cooldowns=10ms")
                .withBean(Clock.class, () -> Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static int attemptsOf(String id) {
        AtomicInteger count = attempts.get(id);
        return count == null ? 0 : count.get();
    }

    @Test
    void aQueuedHandlerIsRetriedAfterItsCooldownWhenTheApplicationClockStandsStill() {
        runner().run(context -> {
            context.getBean(IMessageBus.class).publish(new Wobbly("queued"));
            await().atMost(Duration.ofSeconds(20)).until(() -> attemptsOf("queued") == 2);
        });
    }

    @Test
    void aScheduledMessageIsDeliveredAfterItsDelayWhenTheApplicationClockStandsStill() {
        attempts.computeIfAbsent("scheduled", k -> new AtomicInteger()).incrementAndGet();
        runner().run(context -> {
            context.getBean(IMessageBus.class).schedule(new Wobbly("scheduled"), Duration.ofMillis(10));
            await().atMost(Duration.ofSeconds(20)).until(() -> attemptsOf("scheduled") == 2);
        });
    }

    @Test
    void anInlineInvokeReturnsAfterItsCooldownWhenTheApplicationClockStandsStill() {
        runner().run(context -> {
            CompletableFuture<Void> invoked = CompletableFuture.runAsync(
                    () -> context.getBean(IMessageBus.class).invoke(new Wobbly("inline")));
            await().atMost(Duration.ofSeconds(20)).until(invoked::isDone);
            assertThat(invoked).isCompleted();
            assertThat(attemptsOf("inline")).isEqualTo(2);
        });
    }
}
