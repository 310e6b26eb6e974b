package dev.critter.durability.jdbc.scheduled;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.jdbc.scheduled.ScheduledFixtures.Tick;
import dev.critter.support.ChildJvms;
import dev.critter.support.Concurrently;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes deliver the same scheduled messages; one, a child JVM, is killed with SIGKILL mid-run.
 * The other finishes its rows, and any it held claimed (only while it hands a claim out: a full
 * queue no longer keeps rows claimed) once the dead node's lease ran out. Handlers record each
 * message in a table, in their own transaction, so both processes' work is counted.
 */
class ScheduledNodeKillIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final int COUNT = 3000;

    /** The killed node's tick queue: at most this many messages wait in its memory, accepted and handed over. */
    private static final int CHILD_CAPACITY = 20;

    private static final List<String> NODE_SETTINGS = List.of("critter.durability.node-heartbeat=200ms",
            "critter.durability.node-lease=2s", "critter.local.queues.tick.parallelism=1");

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledNodeKillIntegrationTests.class);

    private final DurableRows rows = new DurableRows(database.dataSource());

    private final JdbcClient sql = rows.jdbc();

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    private final ChildJvms children = new ChildJvms();

    private Process child;

    @AfterEach
    void stop() {
        children.close();
        apps.forEach(ConfigurableApplicationContext::close);
        ScheduledFixtures.tickMillis = 0;
    }

    @Test
    void theSurvivingNodeFinishesTheRowsOfANodeKilledMidRun() throws Exception {
        sql.sql("CREATE TABLE tick_log (id text NOT NULL, node_id uuid NOT NULL)").update();
        ScheduledFixtures.tickMillis = 2;
        // The survivor's queue is as small as the child's: a full queue gives its rows back at once
        // (it never keeps them claimed), so a survivor with room for all would take the child's share.
        List<String> survivorSettings = new ArrayList<>(NODE_SETTINGS);
        survivorSettings.add("critter.local.queues.tick.capacity=" + CHILD_CAPACITY);
        ConfigurableApplicationContext survivor = ScheduledFixtures.start(database, survivorSettings.toArray(String[]::new));
        apps.add(survivor);
        UUID survivorId = survivor.getBean(DurabilityNode.class).id();
        UUID childId = startChild();

        Instant due = Instant.now().plusSeconds(3);
        IMessageBus bus = survivor.getBean(IMessageBus.class);
        Concurrently.run(4, first -> {
            for (int i = first; i < COUNT; i += 4) {
                bus.schedule(new Tick("t-" + i), due);
            }
        });

        // Mid-run: the child has handled some and its queue is busy; it may hold a claim it is handing out.
        await().atMost(WAIT).until(() -> handledBy(childId) >= 50);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no release
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Set<String> heldByTheDead = ownedBy(childId);
        long handledByTheDead = handledBy(childId);

        // The only messages a kill may cost: those the dead node's destination had accepted (a
        // non-durable local queue, in its memory) and not yet handled; their rows were deleted.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(rows.count(SCHEDULED)).as("scheduled rows left").isZero();
            assertThat(handledBy(survivorId, heldByTheDead)).as("the dead node's claimed rows, finished by the survivor")
                    .containsExactlyInAnyOrderElementsOf(heldByTheDead);
            assertThat(missing()).as("lost only from the dead node's in-memory queue")
                    .hasSizeLessThanOrEqualTo(CHILD_CAPACITY + 1);
        });

        List<String> bySurvivor = sql.sql("SELECT id FROM tick_log WHERE node_id = ?").param(survivorId)
                .query(String.class).list();
        assertThat(bySurvivor).as("the survivor handled each message it delivered once").doesNotHaveDuplicates();
        System.out.println("Kill test: the dead node handled " + handledByTheDead + " and held " + heldByTheDead.size()
                + " claimed rows at the kill; the survivor handled " + bySurvivor.size() + "; never handled: " + missing());
    }

    private Set<String> handledBy(UUID node, Set<String> among) {
        Set<String> handled = new HashSet<>(sql.sql("SELECT id FROM tick_log WHERE node_id = ?").param(node)
                .query(String.class).list());
        handled.retainAll(among);
        return handled;
    }

    private List<String> missing() {
        Set<String> handled = new HashSet<>(sql.sql("SELECT id FROM tick_log").query(String.class).list());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (!handled.contains("t-" + i)) {
                missing.add("t-" + i);
            }
        }
        return missing;
    }

    private UUID startChild() throws Exception {
        Path log = Files.createTempFile("scheduled-node", ".log");
        List<String> arguments = new ArrayList<>(List.of(database.url(), database.username(), database.password(), "5"));
        arguments.addAll(NODE_SETTINGS);
        arguments.add("critter.local.queues.tick.capacity=" + CHILD_CAPACITY);
        child = children.start(log, ScheduledNodeMain.class, arguments);
        File file = log.toFile();
        await().atMost(WAIT).until(() -> !child.isAlive() || Files.readString(file.toPath()).contains("NODE "));
        String output = Files.readString(file.toPath());
        assertThat(child.isAlive()).as("child node started; its output:\n%s", output).isTrue();
        String line = output.lines().filter(l -> l.startsWith("NODE ")).findFirst().orElseThrow();
        return UUID.fromString(line.substring("NODE ".length()).trim());
    }

    private long handledBy(UUID node) {
        return sql.sql("SELECT count(*) FROM tick_log WHERE node_id = ?").param(node).query(Long.class).single();
    }

    private Set<String> ownedBy(UUID node) {
        return new HashSet<>(sql.sql("SELECT convert_from(body, 'UTF8')::jsonb ->> 'id' FROM "
                + "critter.critter_scheduled_envelopes WHERE owner_node_id = ?").param(node).query(String.class).list());
    }
}
