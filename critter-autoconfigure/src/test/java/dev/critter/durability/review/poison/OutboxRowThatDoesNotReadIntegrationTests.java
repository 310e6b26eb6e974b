package dev.critter.durability.review.poison;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * An outbox row whose columns do not read as an envelope (headers that are not a map of strings:
 * written by hand, or by another release): the relay must dead-letter it, as the inbox and the
 * scheduler do with such rows, not fail every pass on it. Claimed and then unreadable, it would
 * stay owned by the node and stop that node's relay for every row behind it.
 */
class OutboxRowThatDoesNotReadIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(OutboxRowThatDoesNotReadIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Note(String id) { }

    public static class NoteHandler {
        public void handle(Note note) {
            HANDLED.computeIfAbsent(note.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    void aRowThatDoesNotReadBecomesADeadLetterAndTheRowsBehindItAreSent() {
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + getClass().getPackageName(), "critter.durability.poll-interval=200ms")) {
            insert("{\"trace\": {\"nested\": true}}", "poisoned");
            insert("{\"trace\": \"fine\"}", "behind-it");

            await().atMost(WAIT).until(() -> HANDLED.containsKey("behind-it"));
            assertThat(HANDLED).containsOnlyKeys("behind-it");
            await().atMost(WAIT).until(() -> rows.count(OUTGOING) == 0);
            assertThat(rows.count(DEAD_LETTERS)).as("the unreadable row kept as a dead letter").isOne();
        }
    }

    private void insert(String headers, String id) {
        rows.jdbc().sql("""
                INSERT INTO critter.critter_outgoing_envelopes (id, destination, message_type, body, headers, sent_at)
                VALUES (gen_random_uuid(), 'local://note', ?, convert_to(?, 'UTF8'), ?::jsonb, now())""")
                .param(Note.class.getName()).param("{\"id\":\"" + id + "\"}").param(headers).update();
    }
}
