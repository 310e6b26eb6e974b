package dev.critter.durability.jdbc;

import java.time.Duration;
import java.util.UUID;

import dev.critter.durability.Backlog;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one query behind the backlog gauges and the relay-lag health, against rows written by SQL. */
class JdbcBacklogIntegrationTests {

    private final TestDatabase database = TestPostgres.newDatabase(JdbcBacklogIntegrationTests.class);

    private final JdbcSchema schema = new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"),
            MigrationScripts.critter()).migrate();

    private final DurableRows rows = new DurableRows(database.dataSource());

    private final BackgroundWork work = new BackgroundWork(1);

    private final JdbcBacklog backlog = new JdbcBacklog(database.dataSource(), schema, DurabilitySettings.DEFAULTS, work);

    @AfterEach
    void stop() {
        work.close();
    }

    @Test
    void emptyTablesMeasureZeroEverywhere() {
        assertThat(backlog.current()).as("nothing measured yet").isNull();

        backlog.measure();

        assertThat(backlog.current()).isEqualTo(new Backlog(0, Duration.ZERO, 0, Duration.ZERO, 0, 0));
    }

    @Test
    void countsOutboxRowsWaitingScheduledRowsDeadLettersAndLiveNodesWithTheOldestAges() {
        UUID live = rows.node(Duration.ofSeconds(1));
        rows.node(Duration.ofMinutes(1)); // silent for longer than the 20s lease
        rows.outgoing(live, Duration.ofSeconds(90));
        rows.outgoing(null, Duration.ofSeconds(30));
        rows.outgoing(live, Duration.ZERO);
        rows.scheduled(null, Duration.ofHours(1));
        rows.scheduled(null, Duration.ofSeconds(-30));
        rows.scheduled(null, Duration.ofSeconds(-10));
        rows.scheduled(live, Duration.ofSeconds(-600)); // claimed: no longer waiting, however overdue
        rows.deadLetter();
        rows.deadLetter();

        backlog.measure();

        Backlog measured = backlog.current();
        assertThat(measured).isNotNull();
        assertThat(measured.outboxPending()).isEqualTo(3);
        assertThat(measured.oldestOutbox()).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(120));
        assertThat(measured.scheduledWaiting()).isEqualTo(3);
        assertThat(measured.mostOverdueScheduled()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(measured.deadLetters()).isEqualTo(2);
        assertThat(measured.liveNodes()).isOne();
    }

    @Test
    void startMeasuresAtOnceOnTheBackgroundWork() {
        rows.deadLetter();

        backlog.start();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backlog.current() != null);
        assertThat(backlog.current().deadLetters()).isOne();
    }
}
