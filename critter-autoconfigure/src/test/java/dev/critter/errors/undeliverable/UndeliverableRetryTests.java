package dev.critter.errors.undeliverable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.local.LocalTransport;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.support.CritterContexts;
import dev.critter.testing.TestClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scheduled retry is meant for the one handler chain that failed; when it cannot be delivered
 * when due, its dead letter must still name that chain, or a replay re-runs every handler of the
 * message, including those that had succeeded.
 */
class UndeliverableRetryTests {

    public record Twice(String id) { }

    static final List<String> handled = new CopyOnWriteArrayList<>();

    public static class FailingHandler {
        public void handle(Twice twice) throws IOException {
            throw new IOException("disk gone for " + twice.id());
        }
    }

    public static class SucceedingHandler {
        public void handle(Twice twice) {
            handled.add(twice.id());
        }
    }

    @Test
    void aScheduledRetryThatCannotBeDeliveredWhenDueIsDeadLetteredForTheChainThatFailed() {
        TestClock clock = new TestClock();
        CritterContexts.scanning(UndeliverableRetryTests.class)
                .withBean(TestClock.class, () -> clock)
                .withBean(CritterConfigurer.class, () -> o -> o.onException(IOException.class)
                        .scheduleRetry(Duration.ofSeconds(1)).jitter(0))
                .run(context -> {
                    context.getBean(IMessageBus.class).publish(new Twice("t"));
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            context.getBean(MessageScheduler.class).pending() == 1 && handled.contains("t"));
                    // The queue is gone by the time the retry is due (stopped, say, during shutdown).
                    context.getBean(LocalTransport.class).queues().forEach(queue -> queue.stop(Duration.ofSeconds(5)));

                    clock.advance(Duration.ofSeconds(1));

                    DeadLetters deadLetters = context.getBean(DeadLetters.class);
                    await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.count() == 1);
                    DeadLetter letter = deadLetters.list().get(0);
                    assertThat(letter.exceptionMessage()).startsWith("Not delivered");
                    assertThat(letter.handler()).isEqualTo(FailingHandler.class.getName()
                            + "#handle(" + Twice.class.getName() + ")");
                });
    }
}
