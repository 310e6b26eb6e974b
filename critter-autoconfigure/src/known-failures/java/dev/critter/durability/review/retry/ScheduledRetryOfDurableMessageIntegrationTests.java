package dev.critter.durability.review.retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import java.time.Instant;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.local.DurableLocalQueue;
import dev.critter.local.LocalTransport;
import dev.critter.durability.review.retry.ReviewApps.Flaky;
import dev.critter.durability.review.retry.ReviewApps.Seen;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable local queue's message whose handler asks for a scheduled retry: the retry comes back
 * to the queue with the same id while the first delivery's row may still be there (its delete is
 * batched, not waited for). The retry must not be taken for a duplicate of a row that is about to go.
 */
class ScheduledRetryOfDurableMessageIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledRetryOfDurableMessageIntegrationTests.class);
    private ConfigurableApplicationContext app;

    @BeforeEach
    void reset() {
        Seen.reset();
    }

    @AfterEach
    void close() {
        Seen.reset();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aScheduledRetryDueBeforeTheFirstDeliverysRowIsDeletedIsStillHandled() throws Exception {
        app = ReviewApps.start(database);
        Seen.gate = new java.util.concurrent.CountDownLatch(1);
        app.getBean(IMessageBus.class).publish(new Flaky("f-1"));
        assertThat(Seen.firstAttemptStarted.await(60, TimeUnit.SECONDS)).isTrue();

        // The batched delete of the first delivery's row is slow (a busy database): a lock holds it.
        try (Connection slow = database.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            try (PreparedStatement lock = slow.prepareStatement(
                    "SELECT id FROM critter.critter_incoming_envelopes WHERE destination = 'local://flaky' FOR UPDATE");
                 ResultSet locked = lock.executeQuery()) {
                assertThat(locked.next()).isTrue();
            }
            Seen.gate.countDown(); // the first attempt fails: a retry is scheduled in 100 ms
            // The retry became due and the poller handed it to the queue (its scheduled row is gone).
            await().atMost(WAIT).until(() -> Seen.attempts.get("f-1").get() >= 2 || scheduled() == 0
                    && Seen.attempts.get("f-1").get() == 1 && waitingOnLock(slow));
            slow.rollback();
        }

        // Either handled, or nothing is left anywhere that could still deliver it.
        await().atMost(WAIT).until(() -> Seen.handled("f-1") == 1 || incoming() == 0 && scheduled() == 0);
        assertThat(Seen.handled("f-1")).as("the retried message was handled (not dropped as a duplicate "
                + "of the row its first delivery was deleting)").isEqualTo(1);
    }

    /**
     * Idempotent receive for a message that needed a retry: its retry carries the chain it is
     * meant for, and its row's handled id is then kept under that chain only. The same envelope
     * delivered again later (the outbox relay sending it a second time after a crash between its
     * send and its delete, say) must be recognised as handled.
     */
    @Test
    void aMessageHandledOnItsScheduledRetryIsNotHandledAgainWhenItArrivesOnceMore() {
        app = ReviewApps.start(database);
        DurableLocalQueue queue = app.getBean(LocalTransport.class).endpoints().stream()
                .filter(endpoint -> endpoint instanceof DurableLocalQueue d && d.settings().name().equals("flaky"))
                .map(DurableLocalQueue.class::cast).findFirst().orElseThrow();
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(Flaky.class.getName())
                .message(new Flaky("again")).sentAt(Instant.now()).build();

        queue.send(envelope, false);
        await().atMost(WAIT).until(() -> Seen.handled("again") == 1 && incoming() == 0 && scheduled() == 0);
        queue.send(envelope, false);

        Envelope other = Envelope.builder().id(UUID.randomUUID()).messageType(Flaky.class.getName())
                .message(new Flaky("after")).sentAt(Instant.now()).build();
        queue.send(other, false);
        await().atMost(WAIT).until(() -> Seen.handled("after") == 1 || Seen.handled("again") > 1);
        assertThat(Seen.handled("again")).as("a handled id is not handled again").isOne();
    }

    /** Whether a statement of another session waits for the lock the test holds. */
    private boolean waitingOnLock(Connection holder) throws Exception {
        try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()"); ResultSet r = pid.executeQuery()) {
            r.next();
            int self = r.getInt(1);
            return jdbc().sql("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")
                    .param(self).query(Integer.class).single() > 0;
        }
    }

    private int incoming() {
        return jdbc().sql("SELECT count(*) FROM critter.critter_incoming_envelopes").query(Integer.class).single();
    }

    private int scheduled() {
        return jdbc().sql("SELECT count(*) FROM critter.critter_scheduled_envelopes").query(Integer.class).single();
    }

    private JdbcClient jdbc() {
        return JdbcClient.create(database.dataSource());
    }
}
