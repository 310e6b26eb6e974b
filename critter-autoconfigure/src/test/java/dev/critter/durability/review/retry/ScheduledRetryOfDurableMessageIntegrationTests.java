package dev.critter.durability.review.retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.critter.IMessageBus;
import dev.critter.durability.review.retry.ReviewApps.Flaky;
import dev.critter.durability.review.retry.ReviewApps.Seen;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable local queue's message whose handler asks for a scheduled retry: the retry comes back
 * to the queue with the same id while the first delivery's row may still be there (its delete is
 * batched, not waited for). The retry must not be taken for a duplicate of a row that is about to go.
 */
class ScheduledRetryOfDurableMessageIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DELETE_GATE = 424242;

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledRetryOfDurableMessageIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
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
        // A busy database: every DELETE on the inbox waits, before it touches any row, while the
        // test holds an advisory lock (a statement-level trigger, so no row is locked meanwhile).
        rows.jdbc().sql("""
                CREATE FUNCTION critter.wait_for_delete_gate() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_advisory_lock(%1$d); PERFORM pg_advisory_unlock(%1$d); RETURN NULL; END $$""".formatted(DELETE_GATE))
                .update();
        rows.jdbc().sql("CREATE TRIGGER slow_deletes BEFORE DELETE ON critter.critter_incoming_envelopes "
                + "FOR EACH STATEMENT EXECUTE FUNCTION critter.wait_for_delete_gate()").update();
        Seen.gate = new java.util.concurrent.CountDownLatch(1);
        app.getBean(IMessageBus.class).publish(new Flaky("f-1"));
        assertThat(Seen.firstAttemptStarted.await(60, TimeUnit.SECONDS)).isTrue();

        try (Connection gate = database.dataSource().getConnection(); Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + DELETE_GATE + ")");
            Seen.gate.countDown(); // the first attempt fails: a retry is scheduled in 100 ms
            // The first delivery's delete waits at the gate, and the retry was handed to the queue
            // (its scheduled row is gone) or already ran.
            await().atMost(WAIT).until(() -> waitingOnGate(gate) && rows.count(SCHEDULED) == 0);
            statement.execute("SELECT pg_advisory_unlock(" + DELETE_GATE + ")");
        }

        // Either handled, or nothing is left anywhere that could still deliver it.
        await().atMost(WAIT).until(() -> Seen.handled("f-1") == 1
                || rows.count(INCOMING) == 0 && rows.count(SCHEDULED) == 0);
        assertThat(Seen.handled("f-1")).as("the retried message was handled (not dropped as a duplicate "
                + "of the row its first delivery was deleting)").isEqualTo(1);
        await().atMost(WAIT).until(() -> rows.count(INCOMING) == 0);
    }

    /** Whether a statement of another session waits for the advisory lock the test holds. */
    private boolean waitingOnGate(Connection holder) throws Exception {
        try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()"); ResultSet r = pid.executeQuery()) {
            r.next();
            int self = r.getInt(1);
            return rows.jdbc().sql("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")
                    .param(self).query(Integer.class).single() > 0;
        }
    }
}
