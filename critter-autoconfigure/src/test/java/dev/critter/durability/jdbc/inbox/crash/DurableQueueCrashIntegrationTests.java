package dev.critter.durability.jdbc.inbox.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.critter.durability.jdbc.JdbcSchemaMigrations;
import dev.critter.durability.jdbc.MigrationScripts;
import dev.critter.durability.jdbc.SchemaName;
import dev.critter.support.ChildJvms;
import dev.critter.support.DatabaseGate;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM publishes thousands of messages to a durable local queue in committed transactions
 * and is killed with SIGKILL while handling them; a fresh process on the same database finishes
 * them. Every message whose transaction committed is handled, and the transactional handler's
 * effect (a row committed with its handled mark) is there exactly once per message.
 */
class DurableQueueCrashIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final int MESSAGES = 5000;

    private final TestDatabase database = TestPostgres.newDatabase(DurableQueueCrashIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    /** Held while the gate table says hold: handlers wait at it then (see DatabaseGate). */
    private DatabaseGate gate;
    private final ChildJvms children = new ChildJvms();
    private ConfigurableApplicationContext survivor;

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        children.close();
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void messagesOfAProcessKilledMidFlightAreAllHandledOnceByAFreshProcess() throws Exception {
        new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"), MigrationScripts.critter()).migrate();
        jdbc.sql(CrashApp.TABLES).update();
        gate = DatabaseGate.hold(database.dataSource(), CrashApp.LEDGER_GATE); // before the rows that make handlers wait at it
        jdbc.sql("INSERT INTO crash_gate (hold_after) VALUES (1000)").update(); // handlers stop after 1,000 of 5,000
        Process child = startChild("publish", MESSAGES);

        await().atMost(WAIT).until(() -> !child.isAlive() || (count("crash_published") >= 2000 && count("crash_effects") >= 100));
        assertThat(child.isAlive()).as("the child runs until it is killed (see its log)").isTrue();
        jdbc.sql("INSERT INTO moves_gate (hold) VALUES (true)").update();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no release of its rows
        child.waitFor();
        long published = count("crash_published");
        long handled = count("crash_effects");
        long waiting = rows.count(INCOMING);
        assertThat(waiting).as("killed mid-flight: messages were still waiting").isPositive();
        jdbc.sql("DELETE FROM moves_gate").update();
        jdbc.sql("DELETE FROM crash_gate").update();
        gate.close();

        survivor = CrashApp.start(database.url(), database.username(), database.password());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> rows.count(INCOMING) == 0);
        assertThat(jdbc.sql("SELECT entry FROM crash_published EXCEPT SELECT entry FROM crash_effects")
                .query(String.class).list()).as("every message whose transaction committed was handled").isEmpty();
        assertThat(jdbc.sql("SELECT entry FROM crash_effects GROUP BY entry HAVING count(*) > 1")
                .query(String.class).list()).as("no handler effect committed twice").isEmpty();
        assertThat(jdbc.sql("SELECT entry FROM crash_effects EXCEPT SELECT entry FROM crash_published")
                .query(String.class).list()).as("nothing handled whose transaction did not commit").isEmpty();
        assertThat(count("crash_effects")).isEqualTo(published).isGreaterThan(handled);
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private Process startChild(String mode, int messages) throws Exception {
        return children.start(Path.of("target/crash-child-" + System.nanoTime() + ".log"), CrashApp.class,
                List.of(database.url(), database.username(), database.password(), mode, String.valueOf(messages)));
    }
}
