package dev.critter.durability.jdbc.inbox.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.critter.durability.DurabilityNode;
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
 * A partitioned durable queue keeps each key's publish order across a {@code kill -9} of the node
 * that owns its slots and the takeover of those slots by a second node.
 */
class OrderedDurableQueueIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final int PER_PRODUCT = 500;

    private final TestDatabase database = TestPostgres.newDatabase(OrderedDurableQueueIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    /** Held while the gate table says hold: handlers wait at it then (see DatabaseGate). */
    private DatabaseGate gate;
    private final ChildJvms children = new ChildJvms();
    private ConfigurableApplicationContext second;

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        children.close();
        if (second != null) {
            second.close();
        }
    }

    @Test
    void eachKeysOrderSurvivesAKillOfItsNodeAndATakeoverByASecondNode() throws Exception {
        new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"), MigrationScripts.critter()).migrate();
        jdbc.sql(CrashApp.TABLES).update();
        Process first = startChild("publish-moves", PER_PRODUCT);
        await().atMost(WAIT).until(() -> !first.isAlive() || count("moves_handled") >= 200);
        gate = DatabaseGate.hold(database.dataSource(), CrashApp.MOVES_GATE); // before the row: a handler that sees it finds the gate held
        jdbc.sql("INSERT INTO moves_gate (hold) VALUES (true)").update();
        await().atMost(WAIT).until(() -> !first.isAlive() || count("moves_published") == 8 * PER_PRODUCT);
        second = CrashApp.start(database.url(), database.username(), database.password());
        UUID secondNode = second.getBean(DurabilityNode.class).id();
        assertThat(child(first)).as("the first node runs until it is killed (see its log)").isTrue();
        assertThat(jdbc.sql("SELECT count(DISTINCT owner_node_id) FROM critter.critter_partition_owners")
                .query(Long.class).single()).as("one node owns the slots").isOne();
        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_partition_owners WHERE owner_node_id = ?")
                .param(secondNode).query(Long.class).single()).as("the second node waits").isZero();

        first.destroyForcibly();
        first.waitFor();
        jdbc.sql("DELETE FROM moves_gate").update();
        gate.close();
        long published = count("moves_published");
        assertThat(rows.count(INCOMING)).as("killed mid-flight").isPositive();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                rows.count(INCOMING) == 0
                        && count("moves_handled") >= published);
        assertThat(count("moves_handled")).as("each committed move handled once").isEqualTo(published);
        assertThat(jdbc.sql("SELECT count(*) FROM moves_handled WHERE node = ?").param(secondNode.toString())
                .query(Long.class).single()).as("the second node took over").isPositive();
        Map<String, List<Integer>> handledInOrder = new java.util.TreeMap<>();
        jdbc.sql("SELECT product, seq FROM moves_handled ORDER BY id").query((rs, n) -> {
            handledInOrder.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(2));
            return null;
        }).list();
        assertThat(handledInOrder).hasSize(8);
        handledInOrder.forEach((product, seqs) -> {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < seqs.size(); i++) {
                expected.add(i);
            }
            assertThat(seqs).as("moves of " + product + " in publish order, each once").isEqualTo(expected);
        });
    }

    private static boolean child(Process process) {
        // alive, so it was killed mid-flight rather than having finished
        return process.isAlive();
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private Process startChild(String mode, int messages) throws Exception {
        return children.start(Path.of("target/ordered-child-" + System.nanoTime() + ".log"), CrashApp.class,
                List.of(database.url(), database.username(), database.password(), mode, String.valueOf(messages)));
    }
}
