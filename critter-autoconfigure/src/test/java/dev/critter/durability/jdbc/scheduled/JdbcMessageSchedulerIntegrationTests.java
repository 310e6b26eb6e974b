package dev.critter.durability.jdbc.scheduled;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.jdbc.JdbcMessageScheduler;
import dev.critter.durability.jdbc.scheduled.ScheduledFixtures.Handling;
import dev.critter.durability.jdbc.scheduled.ScheduledFixtures.Remind;
import dev.critter.durability.jdbc.scheduled.ScheduledFixtures.Slow;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.support.Concurrently;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.critter.durability.jdbc.scheduled.ScheduledFixtures.REMINDED;
import static dev.critter.durability.jdbc.scheduled.ScheduledFixtures.handled;
import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled messages in PostgreSQL, through the public API of applications on one real
 * database: precision, restarts, transactions, two nodes racing for the same due rows, bad rows.
 */
@ExtendWith(OutputCaptureExtension.class)
class JdbcMessageSchedulerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofSeconds(1);

    private static final String[] FAST_NODES = {"critter.durability.node-heartbeat=200ms",
            "critter.durability.node-lease=2s"};

    private final TestDatabase database = TestPostgres.newDatabase(JdbcMessageSchedulerIntegrationTests.class);

    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient sql = rows.jdbc();

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeEach
    void forget() {
        REMINDED.clear();
        ScheduledFixtures.SLOW_STARTED.set(0);
    }

    @AfterEach
    void closeApps() {
        ScheduledFixtures.slowGate.countDown();
        apps.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void durabilityReplacesTheInMemorySchedulerAndPendingCountsTheWaitingRows() {
        ConfigurableApplicationContext app = start();
        MessageScheduler scheduler = app.getBean(MessageScheduler.class);
        assertThat(scheduler).isInstanceOf(JdbcMessageScheduler.class);

        IMessageBus bus = app.getBean(IMessageBus.class);
        bus.schedule(new Remind("far-1"), Duration.ofHours(1));
        bus.schedule(new Remind("far-2"), Instant.now().plus(Duration.ofHours(2)));
        bus.schedule(new Remind("far-3"), Duration.ofDays(1));

        assertThat(waitingRows()).as("stored before schedule returned").isEqualTo(3);
        await().atMost(WAIT).until(() -> scheduler.pending() == 3);
    }

    @Test
    void aMessageIsHandledNoEarlierThanDueAndWithinThePollIntervalPlusOneSecondAfter() {
        ConfigurableApplicationContext app = start();
        IMessageBus bus = app.getBean(IMessageBus.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "precise-" + i;
            ids.add(id);
            bus.schedule(new Remind(id), Duration.ofMillis(150L * i + 100));
        }

        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> handled(id) >= 1));

        for (String id : ids) {
            assertThat(REMINDED.get(id)).as(id).singleElement().satisfies(handling -> {
                assertThat(handling.started()).as("%s not before due", id).isAfterOrEqualTo(handling.due());
                assertThat(handling.started()).as("%s within the poll interval + 1 s", id)
                        .isBeforeOrEqualTo(handling.due().plus(POLL).plusSeconds(1));
            });
        }
        assertThat(waitingRows() + rows.count(SCHEDULED)).as("rows deleted once delivered").isZero();
    }

    @Test
    void scheduledMessagesSurviveARestart() {
        ConfigurableApplicationContext first = start();
        first.getBean(IMessageBus.class).schedule(new Remind("after-restart-1"), Duration.ofSeconds(2));
        first.getBean(IMessageBus.class).schedule(new Remind("after-restart-2"), Duration.ofSeconds(3));
        first.close();
        assertThat(rows.count(SCHEDULED)).as("kept in the table while no node runs").isEqualTo(2);
        assertThat(handled("after-restart-1") + handled("after-restart-2")).isZero();

        ConfigurableApplicationContext second = start();
        UUID secondNode = second.getBean(DurabilityNode.class).id();

        await().atMost(WAIT).until(() -> handled("after-restart-1") == 1 && handled("after-restart-2") == 1);
        assertThat(REMINDED.get("after-restart-1").get(0).node()).isEqualTo(secondNode);
        await().atMost(WAIT).until(() -> rows.count(SCHEDULED) == 0);
    }

    @Test
    void aRolledBackTransactionSchedulesNothingAndACommittedOneSchedulesOnceVisibleOnlyAfterItsCommit() {
        ConfigurableApplicationContext app = start();
        IMessageBus bus = app.getBean(IMessageBus.class);
        TransactionTemplate transaction = new TransactionTemplate(
                new DataSourceTransactionManager(app.getBean(DataSource.class)));

        assertThatIllegalStateException().isThrownBy(() -> transaction.executeWithoutResult(status -> {
            bus.schedule(new Remind("rolled-back"), Duration.ofMillis(200));
            assertThat(rows.count(SCHEDULED)).as("not visible to others before the commit").isZero();
            throw new IllegalStateException("roll back");
        }));
        JdbcClient inTransaction = JdbcClient.create(app.getBean(DataSource.class));
        transaction.executeWithoutResult(status -> {
            bus.schedule(new Remind("committed"), Duration.ofMillis(300));
            assertThat(inTransaction.sql("SELECT count(*) FROM critter.critter_scheduled_envelopes")
                    .query(Long.class).single()).as("written in the transaction").isOne();
            assertThat(rows.count(SCHEDULED)).as("not visible to others before the commit").isZero();
        });
        assertThat(rows.count(SCHEDULED)).as("the committed one is stored").isEqualTo(1);

        await().atMost(WAIT).until(() -> handled("committed") == 1);
        await().atMost(WAIT).until(() -> rows.count(SCHEDULED) == 0);
        // The rolled-back one was due long before the committed one was handled.
        assertThat(handled("rolled-back")).isZero();
        assertThat(handled("committed")).isOne();
    }

    @Test
    void twoNodesHandleEachOfTenThousandMessagesDueAtOnceExactlyOnce() throws Exception {
        ConfigurableApplicationContext one = start(FAST_NODES);
        ConfigurableApplicationContext two = start(FAST_NODES);
        int count = 10_000;
        Instant due = Instant.now().plusSeconds(8);
        IMessageBus bus = one.getBean(IMessageBus.class);
        // Scheduled from eight threads at once: their rows share multi-row inserts.
        Concurrently.run(8, first -> {
            for (int i = first; i < count; i += 8) {
                bus.schedule(new Remind("m-" + i), due);
            }
        });
        assertThat(waitingRows()).as("all stored before they are due").isEqualTo(count);

        await().atMost(WAIT).until(() -> REMINDED.size() == count && rows.count(SCHEDULED) == 0);

        Map<UUID, Long> perNode = REMINDED.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(Handling::node, Collectors.counting()));
        System.out.println("Two nodes, " + count + " due at once: handled per node " + perNode);
        List<String> twice = REMINDED.entrySet().stream().filter(e -> e.getValue().size() != 1).map(Map.Entry::getKey)
                .toList();
        assertThat(twice).as("handled more than once").isEmpty();
        assertThat(perNode.keySet()).isSubsetOf(one.getBean(DurabilityNode.class).id(), two.getBean(DurabilityNode.class).id());
        assertThat(REMINDED.values().stream().map(list -> list.get(0))
                .filter(handling -> handling.started().isBefore(handling.due())).toList())
                .as("handled before due").isEmpty();
    }

    @Test
    void aDestinationThatStaysFullKeepsTheRowsAndGetsThemAtLaterPolls(CapturedOutput output) {
        ConfigurableApplicationContext app = start("critter.local.queues.slow.capacity=1",
                "critter.local.queues.slow.parallelism=1", "critter.local.publish-timeout=100ms",
                "critter.durability.poll-interval=200ms");
        IMessageBus bus = app.getBean(IMessageBus.class);
        ScheduledFixtures.slowGate = new CountDownLatch(1);
        Instant due = Instant.now().plusMillis(500);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add("slow-" + i);
            bus.schedule(new Slow("slow-" + i), due);
        }

        // One handler held at the gate, one message queued (capacity 1): the destination is full.
        // Polls keep finding it full until the database's clock is well past several of them.
        await().atMost(WAIT).until(() -> ScheduledFixtures.SLOW_STARTED.get() == 1
                && sql.sql("SELECT now() > ?").param(Timestamp.from(due.plusSeconds(1))).query(Boolean.class).single());
        assertThat(rows.count(SCHEDULED)).as("rows kept while the destination is full").isEqualTo(6);
        ScheduledFixtures.slowGate.countDown();

        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> handled(id) >= 1)
                && rows.count(SCHEDULED) == 0);

        // Full is back-pressure, not a refusal: the rows wait due, never dead-lettered, never dropped.
        assertThat(output).doesNotContain("refused scheduled " + Slow.class.getName());
        assertThat(app.getBean(DeadLetters.class).list()).as("dead letters").isEmpty();
        assertThat(ids).allSatisfy(id -> assertThat(handled(id)).as(id).isOne());
    }

    @Test
    void aRowWhoseMessageTypeNoLongerExistsBecomesADeadLetterWithItsReason() {
        ConfigurableApplicationContext app = start();
        UUID id = UUID.randomUUID();
        sql.sql("INSERT INTO critter.critter_scheduled_envelopes (id, destination, due_at, message_type, body, sent_at) "
                        + "VALUES (?, 'local://remind', now(), 'com.acme.RetiredReminder', convert_to('{\"x\":1}', 'UTF8'), now())")
                .param(id).update();

        DeadLetters deadLetters = app.getBean(DeadLetters.class);
        await().atMost(WAIT).until(() -> !deadLetters.list().isEmpty());
        DeadLetter letter = deadLetters.list().get(0);
        assertThat(letter.envelope().id()).isEqualTo(id);
        assertThat(letter.exceptionType()).isEqualTo("unknown-message-type");
        assertThat(letter.destination()).isEqualTo("local://remind");
        await().atMost(WAIT).until(() -> rows.count(SCHEDULED) == 0);
    }

    @Test
    void aRowWhoseDestinationDoesNotParseBecomesADeadLetterOnceWithItsReason(CapturedOutput output) {
        ConfigurableApplicationContext app = start(FAST_NODES[0], FAST_NODES[1], "critter.durability.poll-interval=200ms");
        List<UUID> dispatched = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Started without a destination filter (MessageScheduler's plain start), as code driving the scheduler itself does.
        app.getBean(JdbcMessageScheduler.class).start((envelope, destination) -> dispatched.add(envelope.id()));
        UUID id = UUID.randomUUID();
        sql.sql("INSERT INTO critter.critter_scheduled_envelopes (id, destination, due_at, message_type, body, sent_at) "
                        + "VALUES (?, 'no-scheme-here', now(), 'com.acme.Reminder', convert_to('{\"x\":1}', 'UTF8'), now())")
                .param(id).update();

        DeadLetters deadLetters = app.getBean(DeadLetters.class);
        await().atMost(WAIT).until(() -> !deadLetters.list().isEmpty() && rows.count(SCHEDULED) == 0);
        assertThat(deadLetters.list()).singleElement().satisfies(letter -> {
            assertThat(letter.envelope().id()).isEqualTo(id);
            assertThat(letter.destination()).isEqualTo("no-scheme-here");
            assertThat(letter.exceptionType()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(letter.exceptionMessage()).contains("has a destination that does not parse ('no-scheme-here')");
        });
        assertThat(dispatched).isEmpty();
        assertThat(org.springframework.util.StringUtils.countOccurrencesOf(output.getAll(),
                "has a destination that does not parse")).as("logged once, not at every lease").isOne();
    }

    @Test
    void rowsForADestinationThisApplicationDoesNotHaveAreLeftToTheServiceThatHasIt() {
        ConfigurableApplicationContext app = start("critter.durability.poll-interval=200ms");
        // Another service sharing the schema scheduled it for its own queue: not this node's to deliver.
        UUID foreign = UUID.randomUUID();
        sql.sql("INSERT INTO critter.critter_scheduled_envelopes (id, destination, due_at, message_type, body, sent_at) "
                        + "VALUES (?, 'local://billing-invoice-due', now() - interval '1 minute', 'com.acme.InvoiceDue', "
                        + "convert_to('{\"x\":1}', 'UTF8'), now())")
                .param(foreign).update();

        app.getBean(IMessageBus.class).schedule(new Remind("own-after-foreign"), Instant.now().plusMillis(100));

        await().atMost(WAIT).until(() -> handled("own-after-foreign") == 1);
        assertThat(app.getBean(DeadLetters.class).list()).as("not dead-lettered here").isEmpty();
        assertThat(sql.sql("SELECT count(*) FROM critter.critter_scheduled_envelopes WHERE id = ? AND owner_node_id IS NULL")
                .param(foreign).query(Long.class).single()).as("still waiting for its service").isOne();
    }

    private ConfigurableApplicationContext start(String... properties) {
        ConfigurableApplicationContext app = ScheduledFixtures.start(database, properties);
        apps.add(app);
        return app;
    }

    private long waitingRows() {
        return sql.sql("SELECT count(*) FROM critter.critter_scheduled_envelopes WHERE owner_node_id IS NULL")
                .query(Long.class).single();
    }
}
