package dev.critter.durability.review.replay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.support.DurableRows;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static dev.critter.support.DurableRows.Table.INCOMING;
import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dead letter of one chain replayed while its message's row is still in the durable queue's
 * inbox: another chain of the same message is still running (or the finished delivery's batched
 * delete has not committed yet). The replay names its chain with attempts reset to 0; the inbox
 * insert meets the row still there ({@code (id, destination)}, attempts not fewer) and leaves the
 * replay out as a duplicate, yet the replay reported success and deleted the dead letter; the
 * delivery then ended and deleted the row, and the failed chain's message was nowhere. Now the
 * replay fails (its dead letter stays) and succeeds once the delivery ended.
 */
class ReplayWhileItsMessageIsQueuedIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(ReplayWhileItsMessageIsQueuedIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private ConfigurableApplicationContext app;

    @BeforeEach
    void reset() {
        Seen.reset();
    }

    @AfterEach
    void close() {
        Seen.gate.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aReplayWhileAnotherChainStillRunsIsNotLost() throws Exception {
        app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(database.springProperties())
                .properties("critter.handlers.base-packages=" + getClass().getPackageName(),
                        "critter.local.queues.parcel.durable=true", "critter.durability.poll-interval=200ms",
                        "spring.main.banner-mode=off", "spring.application.name=review", "critter.shutdown-timeout=5s")
                .run();
        DeadLetters deadLetters = app.getBean(DeadLetters.class);

        app.getBean(IMessageBus.class).publish(new Parcel("p-1"));
        // Chains run in handler class order: the label chain failed (a dead letter) before the
        // weighing chain began, which now waits at the gate; the message's row is still queued.
        assertThat(Seen.weighingStarted.await(60, TimeUnit.SECONDS)).isTrue();
        List<DeadLetter> letters = deadLetters.list();
        assertThat(letters).hasSize(1);
        assertThat(rows.count(INCOMING)).isOne();

        boolean replayed;
        try {
            replayed = deadLetters.replay(letters.get(0).id());
        } catch (RuntimeException refused) {
            replayed = false; // refusing (the dead letter stays) would keep the message too
        }
        Seen.gate.countDown();

        await().atMost(WAIT).until(() -> Seen.labelled.get() == 1
                || Seen.weighed.get() == 1 && rows.count(INCOMING) == 0 && rows.count(SCHEDULED) == 0);
        assertThat(Seen.labelled.get() == 1 || rows.count(DEAD_LETTERS) == 1)
                .as("the replayed chain ran again, or its dead letter is still there (replay returned %s; "
                        + "label attempts %d, dead letters %d)", replayed, Seen.labelAttempts.get(),
                        rows.count(DEAD_LETTERS))
                .isTrue();
        if (!replayed) {
            // Refused while the delivery ran; once it ended, the dead letter replays.
            assertThat(deadLetters.replay(letters.get(0).id())).isTrue();
        }
        await().atMost(WAIT).until(() -> Seen.labelled.get() == 1 && rows.count(INCOMING) == 0);
        assertThat(Seen.labelAttempts.get()).as("the label chain ran once more, on its replay").isEqualTo(2);
        assertThat(Seen.weighed.get()).as("the weighing chain, which succeeded, is not replayed").isOne();
        assertThat(rows.count(DEAD_LETTERS)).isZero();
    }

    @JdbcTestApplication
    static class App {

        @Bean
        CritterConfigurer deadLetterAtOnce() {
            return o -> o.forMessage(Parcel.class).onException(NoLabel.class).moveToDeadLetterQueue();
        }
    }

    /** Handled on the durable queue {@code parcel} by two handlers, each its own chain. */
    public record Parcel(String id) {
    }

    static final class NoLabel extends RuntimeException {
        NoLabel(String message) {
            super(message);
        }
    }

    /** Runs first: its first attempt fails for good (a dead letter); a replay succeeds. */
    public static class ALabelHandler {
        public void handle(Parcel parcel) {
            if (Seen.labelAttempts.incrementAndGet() == 1) {
                throw new NoLabel("no label for " + parcel.id());
            }
            Seen.labelled.incrementAndGet();
        }
    }

    /** Runs second: its first attempt waits at the gate, as a slow handler would. */
    public static class BWeighingHandler {
        public void handle(Parcel parcel) throws InterruptedException {
            Seen.weighingStarted.countDown();
            if (!Seen.gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            Seen.weighed.incrementAndGet();
        }
    }

    static final class Seen {
        static final AtomicInteger labelAttempts = new AtomicInteger();
        static final AtomicInteger labelled = new AtomicInteger();
        static final AtomicInteger weighed = new AtomicInteger();
        static volatile CountDownLatch weighingStarted = new CountDownLatch(1);
        static volatile CountDownLatch gate = new CountDownLatch(1);

        static void reset() {
            labelAttempts.set(0);
            labelled.set(0);
            weighed.set(0);
            weighingStarted = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }
    }
}
