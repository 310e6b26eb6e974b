package dev.critter.durability.jdbc;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes on one database: each registers and heartbeats, deletes its row on a clean shutdown, and
 * live nodes hand the rows of a node that stopped heart-beating (or left rows without a node row)
 * to live nodes, each dead node exactly once however many live nodes race for it.
 */
@ExtendWith(OutputCaptureExtension.class)
class JdbcNodesIntegrationTests {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static final String[] SHORT_LEASE = {"critter.durability.node-heartbeat=200ms",
            "critter.durability.node-lease=" + LEASE.toMillis() + "ms"};

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(JdbcNodesIntegrationTests.class);

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    private final DurableRows rows = new DurableRows(database.dataSource());

    private final AtomicInteger slots = new AtomicInteger();

    @AfterEach
    void closeApps() {
        apps.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aNodeRegistersHeartbeatsAndDeletesItsRowOnACleanShutdown() {
        ConfigurableApplicationContext app = start();
        UUID id = app.getBean(DurabilityNode.class).id();

        assertThat(jdbc().sql("SELECT service_name, host_name IS NOT NULL FROM critter.critter_nodes WHERE node_id = ?")
                .param(id).query((rs, row) -> rs.getString(1) + "/" + rs.getBoolean(2)).single())
                .isEqualTo("orders/true");
        OffsetDateTime first = heartbeatOf(id);
        await().atMost(WAIT).until(() -> heartbeatOf(id).isAfter(first));
        OffsetDateTime second = heartbeatOf(id);
        await().atMost(WAIT).until(() -> heartbeatOf(id).isAfter(second));
        assertThat(app.getBean(JdbcNodes.class).liveNodes()).singleElement().satisfies(node -> {
            assertThat(node.nodeId()).isEqualTo(id);
            assertThat(node.serviceName()).isEqualTo("orders");
            assertThat(node.heartbeatAt()).isAfter(node.startedAt());
        });
        assertThat(app.getBean(JdbcNodes.class).sinceLastHeartbeat()).isLessThan(WAIT);

        app.close();

        assertThat(rows.registered(id)).as("row deleted on a clean shutdown").isFalse();
    }

    @Test
    void aCleanShutdownReleasesWhatTheNodeStillOwnsAtOnceRatherThanLeavingItForALease() {
        ConfigurableApplicationContext app = start();
        UUID id = app.getBean(DurabilityNode.class).id();
        ownRowsOfEveryKind(id); // rows the runtime did not give back: an outbox row whose destination was down, say

        app.close();

        assertThat(rows.registered(id)).isFalse();
        assertThat(rows.ownedBy(id)).as("released with the node row, not a lease later").isZero();
    }

    @Test
    void theRowsOfANodeThatStopsHeartbeatingAreReleasedOnceItsLeaseRanOut(CapturedOutput output) {
        ConfigurableApplicationContext app = start();
        AtomicInteger wakeUps = new AtomicInteger();
        app.getBean(JdbcNodes.class).onRowsReleased(wakeUps::incrementAndGet);
        // A node that heart-beat just now, then died without a word.
        OffsetDateTime lastHeartbeat = jdbc().sql("SELECT now()").query(OffsetDateTime.class).single();
        UUID dead = UUID.randomUUID();
        rows.inOneTransaction(() -> {
            rows.node(dead, Duration.ZERO);
            ownRowsOfEveryKind(dead);
            rows.incoming(dead, "handled", null);
        });

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !rows.registered(dead));

        Duration silentFor = Duration.between(lastHeartbeat,
                jdbc().sql("SELECT now()").query(OffsetDateTime.class).single());
        assertThat(silentFor).as("not taken over before its lease ran out").isGreaterThanOrEqualTo(LEASE);
        assertThat(rows.ownedBy(dead)).isZero();
        assertThat(jdbc().sql("SELECT count(*) FROM critter.critter_scheduled_envelopes WHERE claimed_at IS NOT NULL")
                .query(Long.class).single()).as("scheduled claims undone").isZero();
        assertThat(rows.count(INCOMING, "status", "handled")).as("handled rows stay for clean-up").isOne();
        await().atMost(WAIT).until(() -> wakeUps.get() > 0);
        assertThat(output).contains("Critter node " + app.getBean(DurabilityNode.class).id() + " recovered node " + dead
                + " (service elsewhere, host host-of-" + dead + ")")
                .contains("released 3 outgoing, 2 incoming and 2 scheduled row(s) and 2 ordered-queue slot(s) to live nodes");
    }

    @Test
    void twoLiveNodesRacingForTheSameDeadNodesRecoverEachExactlyOnce(CapturedOutput output) {
        ConfigurableApplicationContext one = start();
        ConfigurableApplicationContext other = start();
        UUID live = rows.node(Duration.ofHours(-1));
        rows.inOneTransaction(() -> ownRowsOfEveryKind(live));
        List<UUID> dead = new ArrayList<>();
        // All at once, so both nodes' recovery passes find them together.
        rows.inOneTransaction(() -> {
            for (int i = 0; i < 30; i++) {
                UUID node = rows.node(Duration.ofHours(1));
                ownRowsOfEveryKind(node);
                dead.add(node);
            }
        });

        await().atMost(WAIT).until(() -> dead.stream().noneMatch(rows::registered));

        String log = output.getOut();
        for (UUID node : dead) {
            assertThat(occurrences(log, "recovered node " + node + " ")).as("recoveries of " + node).isOne();
            assertThat(rows.ownedBy(node)).isZero();
        }
        Matcher released = Pattern.compile("released 3 outgoing, 2 incoming and 2 scheduled row\\(s\\) and 2 "
                + "ordered-queue slot\\(s\\)").matcher(log);
        assertThat(released.results().count()).as("each dead node's rows released once, all of them").isEqualTo(30);
        assertThat(rows.ownedBy(live)).as("a live node keeps its rows").isEqualTo(9);
        assertThat(rows.registered(one.getBean(DurabilityNode.class).id())).isTrue();
        assertThat(rows.registered(other.getBean(DurabilityNode.class).id())).isTrue();
    }

    @Test
    void aNodeWhoseRowWasDeletedRegistersAgainAndWarnsOfDuplicates(CapturedOutput output) {
        ConfigurableApplicationContext app = start();
        UUID id = app.getBean(DurabilityNode.class).id();

        jdbc().sql("DELETE FROM critter.critter_nodes WHERE node_id = ?").param(id).update();

        await().atMost(WAIT).until(() -> rows.registered(id));
        assertThat(output).contains("Critter node " + id + " found its row in critter_nodes gone: another node presumed "
                + "it dead").contains("may also be handled by the node that took them over (duplicates)");
    }

    @Test
    void rowsWhoseNodeHasNoRowAreReleasedAfterALease(CapturedOutput output) {
        ConfigurableApplicationContext app = start();
        // Rows of a node that stopped cleanly but did not release them all.
        OffsetDateTime left = jdbc().sql("SELECT now()").query(OffsetDateTime.class).single();
        UUID gone = UUID.randomUUID();
        rows.outgoing(gone, Duration.ofMinutes(5));
        rows.scheduled(gone, Duration.ofMinutes(-1));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> rows.ownedBy(gone) == 0);

        assertThat(Duration.between(left, jdbc().sql("SELECT now()").query(OffsetDateTime.class).single()))
                .as("seen ownerless for a whole lease first").isGreaterThanOrEqualTo(LEASE);
        assertThat(output).contains("Critter node " + app.getBean(DurabilityNode.class).id() + " released the rows of node "
                + gone + ", which has had no row in critter_nodes for a lease")
                .contains("1 outgoing, 0 incoming and 1 scheduled row(s) and 0 ordered-queue slot(s) to live nodes");
    }

    @Test
    void aLiveNodeNeverReleasesItsOwnRowsNorThoseOfAnotherLiveNode() {
        ConfigurableApplicationContext app = start();
        UUID self = app.getBean(DurabilityNode.class).id();
        UUID other = rows.node(Duration.ZERO);
        rows.outgoing(self, Duration.ofMinutes(5));
        rows.outgoing(other, Duration.ofMinutes(5));
        // The other node heartbeats through the test; this node's own recovery passes run meanwhile.
        for (int i = 0; i < 20; i++) {
            jdbc().sql("UPDATE critter.critter_nodes SET heartbeat_at = now() WHERE node_id = ?").param(other).update();
            OffsetDateTime seen = heartbeatOf(self);
            await().atMost(WAIT).until(() -> heartbeatOf(self).isAfter(seen));
        }

        assertThat(rows.ownedBy(self)).isOne();
        assertThat(rows.ownedBy(other)).isOne();
    }

    private void ownRowsOfEveryKind(UUID node) {
        rows.outgoing(node, Duration.ofSeconds(30));
        rows.outgoing(node, Duration.ofSeconds(20));
        rows.outgoing(node, Duration.ofSeconds(10));
        rows.incoming(node, "queued", null);
        rows.incoming(node, "queued", 3);
        rows.scheduled(node, Duration.ofSeconds(-5));
        rows.scheduled(node, Duration.ofSeconds(-1));
        rows.slot(node, slots.incrementAndGet());
        rows.slot(node, slots.incrementAndGet());
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext app = DurableApps.start(database, SHORT_LEASE);
        apps.add(app);
        return app;
    }

    private JdbcClient jdbc() {
        return rows.jdbc();
    }

    private OffsetDateTime heartbeatOf(UUID node) {
        return jdbc().sql("SELECT heartbeat_at FROM critter.critter_nodes WHERE node_id = ?").param(node)
                .query(OffsetDateTime.class).single();
    }

    private static long occurrences(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
