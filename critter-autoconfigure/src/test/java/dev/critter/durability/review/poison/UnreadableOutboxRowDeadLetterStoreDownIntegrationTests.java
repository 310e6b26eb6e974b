package dev.critter.durability.review.poison;

import java.time.Duration;

import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static dev.critter.support.DurableRows.Table.OUTGOING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outbox row that does not read is moved to the dead letters by the relay; when the dead-letter
 * store refuses it (its table unreachable), the row must stay in the outbox, not be deleted as if
 * it had been kept.
 */
class UnreadableOutboxRowDeadLetterStoreDownIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(UnreadableOutboxRowDeadLetterStoreDownIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    @Test
    void theRowStaysUntilItsDeadLetterIsStored() {
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + getClass().getPackageName(), "critter.durability.poll-interval=200ms")) {
            rows.jdbc().sql("ALTER TABLE critter.critter_dead_letters RENAME TO critter_dead_letters_away").update();
            rows.jdbc().sql("""
                    INSERT INTO critter.critter_outgoing_envelopes (id, destination, message_type, body, headers, sent_at)
                    VALUES (gen_random_uuid(), 'local://note', ?, convert_to('{"id":"x"}', 'UTF8'), '{"a": {"b": 1}}'::jsonb, now())""")
                    .param(OutboxRowThatDoesNotReadIntegrationTests.Note.class.getName()).update();

            // The relay tried it: claimed by this node (or already gone, before the fix).
            await().atMost(WAIT).until(() -> rows.jdbc().sql("SELECT count(*) FROM critter.critter_outgoing_envelopes "
                    + "WHERE owner_node_id IS NOT NULL OR send_attempts > 0").query(Long.class).single() > 0
                    || rows.count(OUTGOING) == 0);
            assertThat(rows.count(OUTGOING)).as("the row whose dead letter was not stored stays in the outbox").isOne();

            rows.jdbc().sql("ALTER TABLE critter.critter_dead_letters_away RENAME TO critter_dead_letters").update();
            await().atMost(WAIT).until(() -> rows.count(OUTGOING) == 0);
            assertThat(rows.count(DEAD_LETTERS)).isOne();
        }
    }
}
