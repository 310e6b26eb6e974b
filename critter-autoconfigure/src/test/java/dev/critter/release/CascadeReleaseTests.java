package dev.critter.release;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.OutgoingMessages;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CascadeReleaseTests {

    /** Cascades two messages due in an hour: the second does not fit a scheduler of capacity 1. */
    public record Burst(String id) { }
    public record Later(String id) { }
    /** Fails once with an IOException, for a scheduled retry. */
    public record Fragile(String id) { }

    static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    public static class BurstHandler {
        public OutgoingMessages handle(Burst burst) {
            runs.computeIfAbsent(burst.id(), k -> new AtomicInteger()).incrementAndGet();
            return new OutgoingMessages().delay(new Later(burst.id() + "-1"), Duration.ofHours(1))
                    .delay(new Later(burst.id() + "-2"), Duration.ofHours(1));
        }

        public void handle(Later later) {
        }

        public void handle(Fragile fragile) throws IOException {
            runs.computeIfAbsent(fragile.id(), k -> new AtomicInteger()).incrementAndGet();
            throw new IOException("disk gone for " + fragile.id());
        }
    }

    @BeforeEach
    void clear() {
        runs.clear();
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(CascadeReleaseTests.class)
                .withPropertyValues("critter.scheduling.in-memory-capacity=1", "critter.errors.retry-cooldowns=1ms,1ms")
                .withBean(CritterConfigurer.class, () -> o -> o.onException(IOException.class)
                        .scheduleRetry(Duration.ofHours(1)));
    }

    @Test
    void aHandlerWhoseCascadeCannotBeSentRunsOnceAndTheCascadeIsDeadLetteredWithTheReason() {
        runner().run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Burst("w"));
            assertThat(runs.get("w")).hasValue(1);
            assertThat(session.deadLettered().singleMessage(Later.class).id()).isEqualTo("w-2");
            DeadLetter letter = context.getBean(DeadLetters.class).list().get(0);
            assertThat(letter.handler()).isNull();
            assertThat(letter.exceptionMessage()).contains("scheduler is full");
            assertThat(letter.destination()).isEqualTo("local://later");
        });
    }

    @Test
    void anInvokeWhoseCascadeCannotBeSentRunsTheHandlerOnceAndGivesTheCallerTheError() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Burst("i")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler is full");
            assertThat(runs.get("i")).hasValue(1);
        });
    }

    @Test
    void aScheduledRetryTheSchedulerRefusesIsDeadLettered() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            bus.schedule(new Later("fills-the-scheduler"), Duration.ofHours(1));
            TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                    .publishAndWait(new Fragile("f"));
            assertThat(runs.get("f")).hasValue(1);
            assertThat(session.deadLettered().singleMessage(Fragile.class).id()).isEqualTo("f");
            DeadLetter letter = context.getBean(DeadLetters.class).list().get(0);
            assertThat(letter.exceptionType()).isEqualTo(IOException.class.getName());
            assertThat(letter.exceptionMessage()).contains("disk gone for f").contains("scheduler is full");
            assertThat(letter.handler()).endsWith("#handle(" + Fragile.class.getName() + ")");
        });
    }
}
