package dev.critter.durability.jdbc;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One recovery pass at a time, with this node's clock in the test's hands: rows whose owner has
 * no node row are released only once this node has seen them so for a whole lease.
 */
class NodeRecoveryIntegrationTests {

    private static final Duration LEASE = Duration.ofSeconds(20);

    private final TestDatabase database = TestPostgres.newDatabase(NodeRecoveryIntegrationTests.class);

    private final JdbcSchema schema = new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"),
            MigrationScripts.critter()).migrate();

    private final DurableRows rows = new DurableRows(database.dataSource());

    private final AtomicLong nanoTime = new AtomicLong(1_000);

    private final UUID self = UUID.randomUUID();

    private final NodeRecovery recovery = new NodeRecovery(JdbcClient.create(database.dataSource()),
            new TransactionTemplate(new DataSourceTransactionManager(database.dataSource())), schema, self, LEASE,
            nanoTime::get);

    @Test
    void rowsWithoutANodeRowAreReleasedOnlyWhenSeenSoAgainALeaseLater() {
        UUID gone = UUID.randomUUID();
        rows.outgoing(gone, Duration.ofMinutes(5));
        rows.incoming(gone, "queued", 4);
        rows.scheduled(gone, Duration.ofSeconds(-5));
        rows.slot(gone, 4);

        assertThat(recovery.recover()).as("first sighting").isEqualTo(ReleasedRows.NONE);
        advance(LEASE.minusNanos(1));
        assertThat(recovery.recover()).as("not yet a lease").isEqualTo(ReleasedRows.NONE);
        advance(Duration.ofNanos(1));

        assertThat(recovery.recover()).isEqualTo(new ReleasedRows(1, 1, 1, 1));
        assertThat(rows.ownedBy(gone)).isZero();
    }

    @Test
    void anOwnerThatRegistersBetweenTheSightingsKeepsItsRowsAndIsWatchedAfreshOnceGoneAgain() {
        UUID paused = UUID.randomUUID();
        rows.outgoing(paused, Duration.ofMinutes(5));
        recovery.recover();
        rows.node(paused, Duration.ZERO); // it woke up and registered again
        advance(LEASE);

        assertThat(recovery.recover()).isEqualTo(ReleasedRows.NONE);
        assertThat(rows.ownedBy(paused)).isOne();

        rows.jdbc().sql("DELETE FROM critter.critter_nodes WHERE node_id = ?").param(paused).update();
        advance(LEASE);
        assertThat(recovery.recover()).as("a new first sighting").isEqualTo(ReleasedRows.NONE);
        advance(LEASE);
        assertThat(recovery.recover()).isEqualTo(new ReleasedRows(1, 0, 0, 0));
    }

    @Test
    void neverReleasesItsOwnRowsEvenWithoutItsNodeRow() {
        rows.outgoing(self, Duration.ofMinutes(5));
        recovery.recover();
        advance(LEASE.multipliedBy(3));

        assertThat(recovery.recover()).isEqualTo(ReleasedRows.NONE);
        assertThat(rows.ownedBy(self)).isOne();
    }

    @Test
    void aDeadNodeIsRecoveredInOnePassAndALiveOneIsNot() {
        UUID dead = rows.node(LEASE.plusSeconds(1));
        UUID live = rows.node(LEASE.minusSeconds(5));
        rows.outgoing(dead, Duration.ZERO);
        rows.incoming(dead, "handled", null);
        rows.outgoing(live, Duration.ZERO);

        assertThat(recovery.recover()).isEqualTo(new ReleasedRows(1, 0, 0, 0));
        assertThat(rows.registered(dead)).isFalse();
        assertThat(rows.registered(live)).isTrue();
        assertThat(rows.ownedBy(live)).isOne();
    }

    private void advance(Duration duration) {
        nanoTime.addAndGet(duration.toNanos());
    }
}
