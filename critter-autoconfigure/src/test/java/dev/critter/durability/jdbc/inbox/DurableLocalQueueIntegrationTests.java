package dev.critter.durability.jdbc.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.jdbc.inbox.InboxApps.Job;
import dev.critter.durability.jdbc.inbox.InboxApps.Jobs;
import dev.critter.durability.jdbc.inbox.InboxApps.Payment;
import dev.critter.local.DurableLocalQueue;
import dev.critter.support.Concurrently;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable local queues on real PostgreSQL, through the public API: messages are stored before
 * they are queued, their rows go once handled, handled ids make a second delivery of the same id
 * a no-op, rows left by stopped or dead nodes are claimed, bad rows become dead letters.
 */
class DurableLocalQueueIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(DurableLocalQueueIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeEach
    void tables() {
        Jobs.reset();
        jdbc().sql(InboxApps.TABLES).update();
        InboxApps.migrate(database);
    }

    @AfterEach
    void close() {
        Jobs.reset();
        InboxApps.Moves.stuck.countDown();
        apps.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aPublishedMessageIsStoredHandledAndItsRowReplacedByItsHandledId() {
        ConfigurableApplicationContext app = start();

        app.getBean(IMessageBus.class).publish(new Job("j-1"));

        await().atMost(WAIT).until(() -> Jobs.count("j-1") == 1 && incoming("local://job") == 0);
        assertThat(jdbc().sql("SELECT destination FROM critter.critter_handled_messages").query(String.class).list())
                .containsExactly("local://job");
    }

    @Test
    void manyPublishersAtOnceHaveEveryMessageHandledOnce() throws Exception {
        ConfigurableApplicationContext app = start();
        IMessageBus bus = app.getBean(IMessageBus.class);
        Concurrently.run(8, publisher -> {
            for (int i = 0; i < 250; i++) {
                bus.publish(new Job("many-" + publisher + "-" + i));
            }
        });

        await().atMost(WAIT).until(() -> Jobs.handled.size() == 2000 && incoming("local://job") == 0);
        assertThat(Jobs.handled.values()).allMatch(n -> n.get() == 1);
        assertThat(handledIds()).isEqualTo(2000);
    }

    @Test
    void theSameEnvelopeSentTwiceIsHandledOnce() {
        ConfigurableApplicationContext app = start();
        DurableLocalQueue queue = InboxApps.queue(app, "job");
        Envelope envelope = envelope(new Job("twice"));

        queue.send(envelope, false);
        await().atMost(WAIT).until(() -> Jobs.count("twice") == 1 && incoming("local://job") == 0);
        queue.send(envelope, false);
        queue.send(envelope, false);

        Envelope other = envelope(new Job("after"));
        queue.send(other, false);
        await().atMost(WAIT).until(() -> Jobs.count("after") == 1);
        assertThat(Jobs.count("twice")).as("a handled id is not handled again").isOne();
        assertThat(incoming("local://job")).isZero();
    }

    @Test
    void aTransactionalHandlersWorkAndHandledMarkCommitTogetherAndARedeliveryIsSkipped() {
        ConfigurableApplicationContext app = start();
        DurableLocalQueue queue = InboxApps.queue(app, "payment");
        Envelope flaky = envelope(new Payment("flaky-1"));

        queue.send(flaky, false);

        await().atMost(WAIT).until(() -> incoming("local://payment") == 0);
        assertThat(jdbc().sql("SELECT attempt FROM test_payments WHERE id = 'flaky-1'").query(Integer.class).list())
                .as("the failed attempt's row rolled back with its mark").containsExactly(2);
        assertThat(jdbc().sql("SELECT destination FROM critter.critter_handled_messages WHERE message_id = ?")
                .param(flaky.id()).query(String.class).list())
                .anyMatch(key -> key.startsWith("local://payment#"))
                .contains("local://payment");
        // A row left queued after its transactional handler committed (a crash before the row was
        // finished) is delivered again: the handler's mark makes it a no-op.
        rows.inOneTransaction(() -> jdbc().sql("""
                INSERT INTO critter.critter_incoming_envelopes (id, destination, message_type, body, sent_at)
                VALUES (?, 'local://payment', ?, convert_to('{"id":"flaky-1"}', 'UTF8'), now())""")
                .param(flaky.id()).param(Payment.class.getName()).update());
        jdbc().sql("DELETE FROM critter.critter_handled_messages WHERE destination = 'local://payment'").update();

        await().atMost(WAIT).until(() -> incoming("local://payment") == 0);
        assertThat(jdbc().sql("SELECT count(*) FROM test_payments WHERE id = 'flaky-1'").query(Integer.class).single())
                .as("the handler's effect committed once").isOne();
    }

    @Test
    void aTransactionalHandlersCascadeToADurableQueueIsStoredInItsTransaction() {
        ConfigurableApplicationContext app = start();
        Jobs.gate = new CountDownLatch(1);

        app.getBean(IMessageBus.class).publish(new Payment("cascade-1"));

        // Held at the gate, the cascade's row is there, committed with the payment's row.
        await().atMost(WAIT).until(() -> incoming("local://job") == 1 && incoming("local://payment") == 0);
        assertThat(jdbc().sql("SELECT tx FROM test_payments WHERE id = 'cascade-1'").query(Long.class).list()).hasSize(1);
        Jobs.gate.countDown();
        await().atMost(WAIT).until(() -> Jobs.count("after-cascade-1") == 1 && incoming("local://job") == 0);
    }

    @Test
    void anEnvelopeStoredInATransactionIsHandledAfterTheCommitAndNeverWhenItRollsBack() {
        ConfigurableApplicationContext app = start();
        DurableLocalQueue queue = InboxApps.queue(app, "job");
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(
                app.getBean(javax.sql.DataSource.class)));

        transaction.executeWithoutResult(status -> {
            queue.storeInTransaction(envelope(new Job("rolled-back")));
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < 100; i++) {
                queue.storeInTransaction(envelope(new Job("committed-" + i)));
            }
            assertThat(Jobs.count("committed-0")).as("nothing before the commit").isZero();
        });

        await().atMost(WAIT).until(() -> Jobs.handled.size() == 100 && incoming("local://job") == 0);
        assertThat(Jobs.count("rolled-back")).isZero();
    }

    @Test
    void anEnvelopeStoredFromAnotherSynchronizationsBeforeCommitStillCommitsWithTheTransaction() {
        ConfigurableApplicationContext app = start();
        DurableLocalQueue queue = InboxApps.queue(app, "job");
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(
                app.getBean(javax.sql.DataSource.class)));

        // As the outbox does: it routes a committing transaction's messages in its beforeCommit.
        transaction.executeWithoutResult(status -> org.springframework.transaction.support
                .TransactionSynchronizationManager.registerSynchronization(
                        new org.springframework.transaction.support.TransactionSynchronization() {
                            @Override
                            public void beforeCommit(boolean readOnly) {
                                queue.storeInTransaction(envelope(new Job("late-1")));
                                queue.storeInTransaction(envelope(new Job("late-2")));
                            }
                        }));

        await().atMost(WAIT).until(() -> Jobs.count("late-1") == 1 && Jobs.count("late-2") == 1
                && incoming("local://job") == 0);
    }

    @Test
    void rowsLeftUnownedOrByADeadNodeAreClaimedAndHandled() {
        UUID dead = UUID.randomUUID();
        rows.inOneTransaction(() -> {
            rows.node(dead, Duration.ofMinutes(5));
            for (int i = 0; i < 30; i++) {
                storedRow("left-" + i, i % 2 == 0 ? null : dead);
            }
        });

        start();

        await().atMost(WAIT).until(() -> Jobs.handled.size() == 30 && incoming("local://job") == 0);
        assertThat(Jobs.handled.values()).allMatch(n -> n.get() == 1);
        assertThat(rows.registered(dead)).isFalse();
    }

    @Test
    void aNodeClaimsNoMoreRowsThanItsQueueHoldsAndACleanStopReleasesThem() {
        Jobs.gate = new CountDownLatch(1);
        rows.inOneTransaction(() -> {
            for (int i = 0; i < 60; i++) {
                storedRow("held-" + i, null);
            }
        });
        ConfigurableApplicationContext app = start("critter.local.queues.job.capacity=10",
                "critter.local.queues.job.parallelism=2", "critter.shutdown-timeout=1s");
        UUID self = app.getBean(DurabilityNode.class).id();
        await().atMost(WAIT).until(() -> ownedRows(self) >= 12);
        assertThat(ownedRows(self)).as("capacity 10 waiting plus 2 being handled").isEqualTo(12);

        app.close();
        apps.remove(app);
        Jobs.gate.countDown();

        assertThat(ownedRows(self)).as("released on a clean stop").isZero();
        long left = incoming("local://job");
        assertThat(left).as("nothing lost: the two interrupted ones became dead letters").isEqualTo(58);
        start();
        await().atMost(WAIT).until(() -> incoming("local://job") == 0);
        assertThat(Jobs.handled).hasSize(58);
    }

    @Test
    void aRowThatDoesNotReadBecomesADeadLetterWithItsReasonAndLeavesTheInbox() {
        rows.inOneTransaction(() -> {
            jdbc().sql("""
                    INSERT INTO critter.critter_incoming_envelopes (id, destination, message_type, body, sent_at)
                    VALUES (?, 'local://job', 'com.example.Unknown', convert_to('{"x":1}', 'UTF8'), now()),
                           (?, 'local://job', ?, convert_to('not json', 'UTF8'), now())""")
                    .param(UUID.randomUUID()).param(UUID.randomUUID()).param(Job.class.getName()).update();
        });
        ConfigurableApplicationContext app = start();

        await().atMost(WAIT).until(() -> incoming("local://job") == 0);
        List<DeadLetter> letters = app.getBean(DeadLetters.class).list();
        assertThat(letters).extracting(DeadLetter::exceptionType)
                .containsExactlyInAnyOrder("unknown-message-type", "unreadable-body");
        assertThat(handledIds()).isZero();
    }

    @Test
    void aDeadLetteredMessageLeavesTheInboxWithoutAHandledIdSoItsReplayIsHandled() {
        ConfigurableApplicationContext app = start();
        Jobs.failing.add("poison");

        app.getBean(IMessageBus.class).publish(new Job("poison"));

        DeadLetters deadLetters = app.getBean(DeadLetters.class);
        await().atMost(WAIT).until(() -> deadLetters.list().size() == 1 && incoming("local://job") == 0);
        assertThat(handledIds()).isZero();
        Jobs.failing.clear();
        assertThat(deadLetters.replay(deadLetters.list().get(0).id())).isTrue();
        await().atMost(WAIT).until(() -> Jobs.count("poison") == 1 && incoming("local://job") == 0);
    }

    @Test
    void onAPartitionedDurableQueueAKeyThatIsStuckHoldsBackOnlyItself() {
        InboxApps.Moves.handled.clear();
        InboxApps.Moves.stuck = new CountDownLatch(1);
        ConfigurableApplicationContext app = start();
        IMessageBus bus = app.getBean(IMessageBus.class);
        bus.publish(new InboxApps.Move("stuck", 0));
        bus.publish(new InboxApps.Move("stuck", 1));
        for (int i = 0; i < 20; i++) {
            bus.publish(new InboxApps.Move("a", i));
            bus.publish(new InboxApps.Move("b", i));
        }

        await().atMost(WAIT).until(() -> InboxApps.Moves.handled.size() == 40);
        assertThat(InboxApps.Moves.handled).filteredOn(m -> m.startsWith("a-"))
                .containsExactly(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "a-" + i).toArray(String[]::new));
        assertThat(InboxApps.Moves.handled).noneMatch(m -> m.startsWith("stuck"));
        InboxApps.Moves.stuck.countDown();
        await().atMost(WAIT).until(() -> InboxApps.Moves.handled.size() == 42 && incoming("local://move") == 0);
        assertThat(InboxApps.Moves.handled.subList(40, 42)).containsExactly("stuck-0", "stuck-1");
    }

    @Test
    void aRequeuedMessageKeepsItsRowUntilItIsHandled() {
        ConfigurableApplicationContext app = start("critter.local.queues.job.parallelism=4");
        List<Envelope> envelopes = new ArrayList<>();
        // Many at once, so that a requeued copy often ends before the delivery that requeued it.
        for (int i = 0; i < 40; i++) {
            Jobs.requeueing.add("requeued-" + i);
            envelopes.add(envelope(new Job("requeued-" + i)));
        }

        envelopes.forEach(envelope -> InboxApps.queue(app, "job").send(envelope, false));

        await().atMost(WAIT).until(() -> Jobs.handled.size() == 40 && incoming("local://job") == 0);
        assertThat(Jobs.handled.values()).allMatch(n -> n.get() == 1);
        assertThat(Jobs.attempts.values()).allMatch(n -> n.get() == 3);
        assertThat(jdbc().sql("SELECT destination FROM critter.critter_handled_messages WHERE message_id = ?")
                .param(envelopes.get(0).id()).query(String.class).single())
                .as("handled by the chain the requeued copy was meant for").startsWith("local://job#");
    }

    @Test
    void handledIdsAreDeletedAfterTheRetentionWindow() {
        ConfigurableApplicationContext app = start("critter.durability.handled-retention=1s");
        app.getBean(IMessageBus.class).publish(new Job("kept-a-while"));
        await().atMost(WAIT).until(() -> Jobs.count("kept-a-while") == 1 && handledIds() == 1);

        await().atMost(WAIT).until(() -> handledIds() == 0);
    }

    private ConfigurableApplicationContext start(String... properties) {
        ConfigurableApplicationContext app = InboxApps.start(database, properties);
        apps.add(app);
        return app;
    }

    private void storedRow(String jobId, UUID owner) {
        jdbc().sql("""
                INSERT INTO critter.critter_incoming_envelopes (id, destination, owner_node_id, message_type, body, sent_at)
                VALUES (?, 'local://job', ?, ?, convert_to(?, 'UTF8'), now())""")
                .param(UUID.randomUUID()).param(owner).param(Job.class.getName())
                .param("{\"id\":\"" + jobId + "\"}").update();
    }

    private static Envelope envelope(Object message) {
        return Envelope.builder().id(UUID.randomUUID()).messageType(message.getClass().getName()).message(message)
                .sentAt(java.time.Instant.now()).build();
    }

    private long incoming(String destination) {
        return rows.count(INCOMING, "destination", destination);
    }

    private long ownedRows(UUID node) {
        return rows.count(INCOMING, "owner_node_id", node);
    }

    private long handledIds() {
        return jdbc().sql("SELECT count(*) FROM critter.critter_handled_messages").query(Long.class).single();
    }

    private JdbcClient jdbc() {
        return rows.jdbc();
    }
}
