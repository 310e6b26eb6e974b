package dev.critter.errors;

import java.io.IOException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ErrorPolicyTests {

    /** Fails with the named exception for the first {@code failures} attempts, then succeeds. */
    public record Flaky(String id, String exception, int failures) { }
    public record Special(String id) { }

    /** When each attempt ran, on the clock Critter uses (a test clock where a test sets one). */
    static final Map<String, List<Instant>> attemptTimes = new ConcurrentHashMap<>();
    static volatile Clock clock = Clock.systemUTC();
    static final Map<String, List<Integer>> attemptNumbers = new ConcurrentHashMap<>();
    static final java.util.Set<String> healed = ConcurrentHashMap.newKeySet();

    public static class FlakyHandler {
        public void handle(Flaky flaky, MessageContext context) throws Exception {
            attemptTimes.computeIfAbsent(flaky.id(), k -> new CopyOnWriteArrayList<>()).add(clock.instant());
            attemptNumbers.computeIfAbsent(flaky.id(), k -> new CopyOnWriteArrayList<>()).add(context.attempts());
            if (!healed.contains(flaky.id()) && context.attempts() <= flaky.failures()) {
                throw switch (flaky.exception()) {
                    case "transient" -> new SQLTransientException("db busy for " + flaky.id());
                    case "wrapped-transient" -> new IllegalStateException("wrapper",
                            new SQLTransientException("inner busy"));
                    case "io" -> new IOException("disk gone for " + flaky.id());
                    case "argument" -> new IllegalArgumentException("bad input " + flaky.id());
                    default -> new UnsupportedOperationException("unexpected " + flaky.id());
                };
            }
        }

        public void handle(Special special) {
            attemptNumbers.computeIfAbsent(special.id(), k -> new CopyOnWriteArrayList<>()).add(1);
            throw new IllegalArgumentException("special " + special.id());
        }
    }

    @BeforeEach
    void clear() {
        clock = Clock.systemUTC();
        attemptTimes.clear();
        attemptNumbers.clear();
        healed.clear();
    }

    private static ApplicationContextRunner runner(CritterConfigurer configurer) {
        return CritterContexts.scanning(ErrorPolicyTests.class)
                .withPropertyValues("critter.errors.retry-cooldowns=10ms,20ms")
                .withBean(CritterConfigurer.class, () -> configurer);
    }

    @Test
    void retryTimesRetriesAtOnceThenDeadLetters() {
        runner(o -> o.onException(SQLTransientException.class).retryTimes(2)).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                    .publishAndWait(new Flaky("a", "transient", 10));
            assertThat(attemptNumbers.get("a")).containsExactly(1, 2, 3);
            assertThat(session.deadLettered().singleMessage(Flaky.class).id()).isEqualTo("a");
            DeadLetter letter = context.getBean(DeadLetters.class).list().get(0);
            assertThat(letter.exceptionType()).isEqualTo(SQLTransientException.class.getName());
            assertThat(letter.exceptionMessage()).isEqualTo("db busy for a");
            assertThat(letter.stackTrace()).contains("FlakyHandler.handle");
            assertThat(letter.envelope().attempts()).isEqualTo(3);
            assertThat(letter.destination()).isEqualTo("local://flaky");
            assertThat(letter.handler()).contains("FlakyHandler");
        });
    }

    @Test
    void aRetriedMessageThatSucceedsIsNotDeadLettered() {
        runner(o -> o.onException(SQLTransientException.class).retryTimes(3)).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Flaky("b", "transient", 2));
            assertThat(attemptNumbers.get("b")).containsExactly(1, 2, 3);
            assertThat(session.deadLettered().isEmpty()).isTrue();
            assertThat(session.executed().singleMessage(Flaky.class).id()).isEqualTo("b");
        });
    }

    /** Runs the action and returns when the message had the given number of attempts. */
    private static void awaitAttempts(String id, int attempts) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> attemptNumbers.getOrDefault(id, List.of()).size() >= attempts);
        assertThat(attemptNumbers.get(id)).hasSize(attempts);
    }

    @Test
    void retryWithCooldownWaitsExactlyEachCooldownOfTheClockBetweenAttempts() {
        TestClock testClock = new TestClock();
        clock = testClock;
        runner(o -> o.onException(IOException.class).retryWithCooldown(Duration.ofMillis(100), Duration.ofMillis(250))
                .jitter(0))
                .withBean(TestClock.class, () -> testClock)
                .run(context -> {
                    context.getBean(MessageTracking.class).allowingFailures().executeAndWait(() -> {
                        context.getBean(IMessageBus.class).publish(new Flaky("c", "io", 10));
                        awaitAttempts("c", 1);
                        testClock.advance(Duration.ofMillis(99));
                        testClock.advance(Duration.ofMillis(1));
                        awaitAttempts("c", 2);
                        testClock.advance(Duration.ofMillis(250));
                        awaitAttempts("c", 3);
                    });
                    List<Instant> times = attemptTimes.get("c");
                    // A retry that ran before its cooldown ended on the clock would show a shorter gap.
                    assertThat(Duration.between(times.get(0), times.get(1))).isEqualTo(Duration.ofMillis(100));
                    assertThat(Duration.between(times.get(1), times.get(2))).isEqualTo(Duration.ofMillis(250));
                    assertThat(context.getBean(DeadLetters.class).count()).isEqualTo(1);
                });
    }

    @Test
    void scheduleRetryDeliversTheMessageAgainWhenTheClockReachesTheDelay() {
        TestClock testClock = new TestClock();
        clock = testClock;
        runner(o -> o.onException(IOException.class).scheduleRetry(Duration.ofMillis(150)).jitter(0).then().discard())
                .withBean(TestClock.class, () -> testClock)
                .run(context -> {
                    TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> {
                        context.getBean(IMessageBus.class).publish(new Flaky("d", "io", 1));
                        awaitAttempts("d", 1);
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> context.getBean(MessageScheduler.class).pending() == 1);
                        testClock.advance(Duration.ofMillis(149));
                        testClock.advance(Duration.ofMillis(1));
                        awaitAttempts("d", 2);
                    });
                    List<Instant> times = attemptTimes.get("d");
                    assertThat(attemptNumbers.get("d")).containsExactly(1, 2);
                    assertThat(Duration.between(times.get(0), times.get(1))).isEqualTo(Duration.ofMillis(150));
                    assertThat(session.executed().singleMessage(Flaky.class).id()).isEqualTo("d");
                });
    }

    @Test
    void requeuePutsTheMessageBackUpToTheGivenTimes() {
        runner(o -> o.onException(IOException.class).requeue(2)).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                    .publishAndWait(new Flaky("e", "io", 10));
            assertThat(attemptNumbers.get("e")).containsExactly(1, 2, 3);
            assertThat(session.deadLettered().singleMessage(Flaky.class).id()).isEqualTo("e");
            assertThat(session.received().envelopes()).hasSize(1);
            assertThat(session.events().stream().filter(e -> e.kind().name().equals("RECEIVED"))).hasSize(3);
        });
    }

    @Test
    void discardDropsTheMessageWithoutADeadLetter() {
        runner(o -> o.onException(IllegalArgumentException.class).discard()).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                    .publishAndWait(new Flaky("f", "argument", 10));
            assertThat(attemptNumbers.get("f")).containsExactly(1);
            assertThat(session.deadLettered().isEmpty()).isTrue();
            assertThat(context.getBean(DeadLetters.class).count()).isZero();
        });
    }

    @Test
    void rulesMatchAnExceptionAnywhereInTheCauseChain() {
        runner(o -> o.onException(SQLTransientException.class).retryTimes(1).then().discard()).run(context -> {
            context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Flaky("g", "wrapped-transient", 10));
            assertThat(attemptNumbers.get("g")).containsExactly(1, 2);
            assertThat(context.getBean(DeadLetters.class).count()).isZero();
        });
    }

    @Test
    void messageTypeRulesComeBeforeGlobalRulesAndTheFirstMatchWins() {
        runner(o -> {
            o.onException(IllegalArgumentException.class).retryTimes(2);
            o.onException(RuntimeException.class).discard();
            o.forMessage(Special.class).onException(IllegalArgumentException.class).discard();
        }).run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
            tracking.publishAndWait(new Special("h"));
            assertThat(attemptNumbers.get("h")).hasSize(1);
            tracking.publishAndWait(new Flaky("i", "argument", 10));
            assertThat(attemptNumbers.get("i")).containsExactly(1, 2, 3);
            assertThat(context.getBean(DeadLetters.class).list()).extracting(d -> d.envelope().message())
                    .containsExactly(new Flaky("i", "argument", 10));
        });
    }

    @Test
    void theDefaultPolicyMakesThreeAttemptsWithCooldownsThenDeadLetters() {
        CritterContexts.scanning(ErrorPolicyTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                    .publishAndWait(new Flaky("j", "other", 10));
            assertThat(attemptNumbers.get("j")).containsExactly(1, 2, 3);
            // On the system clock: the jitter makes the exact gap random; a cooldown is a minimum.
            List<Instant> times = attemptTimes.get("j");
            assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            assertThat(Duration.between(times.get(1), times.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(session.deadLettered().singleMessage(Flaky.class).id()).isEqualTo("j");
        });
    }

    @Test
    void aReplayedDeadLetterIsHandledAgainWithFreshAttempts() {
        runner(o -> o.onException(SQLTransientException.class).retryTimes(1)).run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.allowingFailures().publishAndWait(new Flaky("k", "transient", 2));
            DeadLetters deadLetters = context.getBean(DeadLetters.class);
            DeadLetter letter = deadLetters.list().get(0);
            healed.add("k");

            TrackedSession replay = tracking.executeAndWait(() -> assertThat(deadLetters.replay(letter.id())).isTrue());

            assertThat(replay.executed().singleMessage(Flaky.class).id()).isEqualTo("k");
            assertThat(attemptNumbers.get("k")).containsExactly(1, 2, 1);
            assertThat(replay.executed().envelopes().get(0).id()).isEqualTo(letter.envelope().id());
            assertThat(deadLetters.count()).isZero();
            assertThat(deadLetters.replay(letter.id())).isFalse();
        });
    }
}
