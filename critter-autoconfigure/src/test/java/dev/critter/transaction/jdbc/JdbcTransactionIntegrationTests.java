package dev.critter.transaction.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.NoRoutesException;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.OutboxRows;
import dev.critter.support.SeenById;
import dev.critter.support.WithTestPostgres;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Publishing from {@code @Transactional} code on a plain JDBC transaction manager, against real
 * PostgreSQL: messages wait for the commit and vanish on rollback (SPEC §3, §12.1).
 */
@SpringBootTest(classes = JdbcTransactionIntegrationTests.App.class, properties = {
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:dev/critter/transaction/jdbc/schema.sql",
        "critter.shutdown-timeout=5s",
        "critter.local.publish-timeout=1s",
        "critter.local.queues.account-opened.sequential=true",
        "critter.local.queues.slow-import.parallelism=1",
        "critter.local.queues.slow-import.capacity=1"})
@WithTestPostgres
@DirtiesContext
class JdbcTransactionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public record AccountOpened(String id) { }
    public record OpenAccount(String id) { }
    public record Ping(String id) { }
    public record SlowImport(int number) { }
    public record Unrouted(String id) { }

    @Autowired Accounts accounts;
    @Autowired Handled handled;
    @Autowired IMessageBus bus;
    @Autowired MessageTracking tracking;
    @Autowired DeadLetters deadLetters;
    @Autowired JdbcClient jdbc;
    @Autowired PlatformTransactionManager transactionManager;

    @Test
    void theApplicationUsesAPlainJdbcTransactionManager() {
        assertThat(transactionManager).isInstanceOf(JdbcTransactionManager.class);
    }

    @Test
    void aMessagePublishedInACommittedTransactionIsHandledOnceAfterTheCommit() {
        TrackedSession session = tracking.executeAndWait(() -> accounts.open("committed"));

        assertThat(session.executed().messagesOf(AccountOpened.class)).containsExactly(new AccountOpened("committed"));
        assertThat(handled.of("committed")).as("handled once, and the handler saw the committed row")
                .containsExactly(true);
    }

    @Test
    void aMessagePublishedInATransactionIsHeldUntilTheCommit() {
        // The queue is sequential: had "held" been sent when published, it would be handled before
        // the probe published afterwards from another thread.
        accounts.openWhile("held", () -> {
            CompletableFuture.runAsync(() -> bus.publish(new AccountOpened("probe"))).join();
            await().atMost(WAIT).until(() -> handled.times("probe") == 1);
            assertThat(handled.times("held")).as("handled before the commit").isZero();
        });

        await().atMost(WAIT).until(() -> handled.times("held") == 1);
        assertThat(handled.of("held")).containsExactly(true);
    }

    @Test
    void aMessagePublishedInATransactionThatRollsBackIsNeverHandled() {
        TrackedSession session = tracking.allowingFailures().executeAndWait(() -> accounts.openThenFail("rolled-back"));
        assertThat(session.sent().isEmpty()).as("sent: " + session).isTrue();

        // Same sequential queue: once the marker is handled, anything sent before it was handled too.
        tracking.publishAndWait(new AccountOpened("marker-after-rollback"));
        assertThat(handled.times("marker-after-rollback")).isOne();
        assertThat(handled.times("rolled-back")).isZero();
        assertThat(rows("rolled-back")).isZero();
    }

    @Test
    void publishSendAndScheduleInOneTransactionAreDispatchedAfterCommitInPublishOrder() {
        TrackedSession session = tracking.executeAndWait(() -> accounts.openSeveral("first", "second", "third"));

        assertThat(session.executed().messagesOf(AccountOpened.class)).containsExactly(new AccountOpened("first"),
                new AccountOpened("second"), new AccountOpened("third"));
        assertThat(handled.order()).containsSubsequence("first", "second", "third");
        assertThat(handled.of("third")).containsExactly(true);
    }

    @Test
    void sendWithoutARouteFailsAtOnceInsideTheTransactionWhilePublishCountsItAfterTheCommit() {
        assertThatThrownBy(() -> accounts.openAndSendUnrouted("unrouted")).isInstanceOf(NoRoutesException.class);
        assertThat(rows("unrouted")).as("the exception rolled the transaction back").isZero();

        TransactionTemplate template = new TransactionTemplate(transactionManager);
        TrackedSession session = tracking.executeAndWait(() -> template.executeWithoutResult(status -> {
            bus.publish(new Unrouted("published"));
        }));
        assertThat(session.noRoutes().singleMessage(Unrouted.class)).isEqualTo(new Unrouted("published"));
    }

    @Test
    void invokeRunsAtOnceButItsCascadesWaitForTheCommitAndDropOnRollback() {
        TrackedSession committed = tracking.executeAndWait(() -> accounts.openByInvoking("invoked", false));
        assertThat(committed.executed().messagesOf(AccountOpened.class)).containsExactly(new AccountOpened("invoked"));
        assertThat(handled.of("invoked")).as("the cascade ran after the commit").containsExactly(true);

        assertThatThrownBy(() -> accounts.openByInvoking("invoked-then-rolled-back", true))
                .isInstanceOf(IllegalStateException.class);
        assertThat(handled.invocations()).contains("invoked-then-rolled-back");
        tracking.publishAndWait(new AccountOpened("marker-after-invoke"));
        assertThat(handled.times("invoked-then-rolled-back")).isZero();
    }

    @Test
    void transactionTemplateCommitsAndRollsBackTheMessagesWithIt() {
        TransactionTemplate template = new TransactionTemplate(transactionManager);

        tracking.executeAndWait(() -> template.executeWithoutResult(status -> {
            insert("template-committed");
            bus.publish(new AccountOpened("template-committed"));
        }));
        assertThat(handled.of("template-committed")).containsExactly(true);

        tracking.executeAndWait(() -> template.executeWithoutResult(status -> {
            insert("template-rolled-back");
            bus.publish(new AccountOpened("template-rolled-back"));
            status.setRollbackOnly();
        }));
        tracking.publishAndWait(new AccountOpened("marker-after-template"));
        assertThat(handled.times("template-rolled-back")).isZero();
    }

    @Test
    void aProgrammaticTransactionCommitsAndRollsBackTheMessagesWithIt() {
        tracking.executeAndWait(() -> {
            TransactionStatus status = transactionManager.getTransaction(new DefaultTransactionDefinition());
            insert("programmatic-committed");
            bus.publish(new AccountOpened("programmatic-committed"));
            assertThat(handled.times("programmatic-committed")).isZero();
            transactionManager.commit(status);
        });
        assertThat(handled.of("programmatic-committed")).containsExactly(true);

        TransactionStatus status = transactionManager.getTransaction(new DefaultTransactionDefinition());
        insert("programmatic-rolled-back");
        bus.publish(new AccountOpened("programmatic-rolled-back"));
        transactionManager.rollback(status);
        tracking.publishAndWait(new AccountOpened("marker-after-programmatic"));
        assertThat(handled.times("programmatic-rolled-back")).isZero();
    }

    @Test
    void aRequiresNewTransactionSendsItsOwnMessagesWhenItCommitsWhileTheSuspendedOneKeepsItsOwn() {
        TransactionTemplate outer = new TransactionTemplate(transactionManager);
        TransactionTemplate inner = new TransactionTemplate(transactionManager);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        tracking.executeAndWait(() -> outer.executeWithoutResult(status -> {
            insert("outer-rolled-back");
            bus.publish(new AccountOpened("outer-rolled-back"));
            inner.executeWithoutResult(innerStatus -> {
                insert("inner-committed");
                bus.publish(new AccountOpened("inner-committed"));
            });
            await().atMost(WAIT).until(() -> handled.times("inner-committed") == 1);
            status.setRollbackOnly();
        }));

        tracking.publishAndWait(new AccountOpened("marker-after-requires-new"));
        assertThat(handled.of("inner-committed")).containsExactly(true);
        assertThat(handled.times("outer-rolled-back")).isZero();
    }

    @Test
    void aNestedTransactionRolledBackToItsSavepointDropsOnlyTheMessagesPublishedWithinIt() {
        TransactionTemplate outer = new TransactionTemplate(transactionManager);
        TransactionTemplate nested = new TransactionTemplate(transactionManager);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);

        tracking.executeAndWait(() -> outer.executeWithoutResult(status -> {
            insert("before-savepoint");
            bus.publish(new AccountOpened("before-savepoint"));
            nested.executeWithoutResult(savepoint -> {
                insert("inside-rolled-back-savepoint");
                bus.publish(new AccountOpened("inside-rolled-back-savepoint"));
                savepoint.setRollbackOnly();
            });
            nested.executeWithoutResult(savepoint -> {
                insert("inside-kept-savepoint");
                bus.publish(new AccountOpened("inside-kept-savepoint"));
            });
            insert("after-savepoint");
            bus.publish(new AccountOpened("after-savepoint"));
        }));

        tracking.publishAndWait(new AccountOpened("marker-after-nested"));
        assertThat(rows("inside-rolled-back-savepoint")).isZero();
        assertThat(handled.times("inside-rolled-back-savepoint")).as("its row was rolled back").isZero();
        assertThat(handled.of("before-savepoint")).containsExactly(true);
        assertThat(handled.of("inside-kept-savepoint")).containsExactly(true);
        assertThat(handled.of("after-savepoint")).containsExactly(true);
    }

    @Test
    void aMessagePublishedAfterTheCommitByAnotherSynchronizationOrATransactionalEventListenerIsSent() {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        tracking.executeAndWait(() -> template.executeWithoutResult(status -> {
            insert("from-after-commit");
            insert("published-in-transaction");
            bus.publish(new AccountOpened("published-in-transaction"));
            // Registered after Critter's own synchronization, so its afterCommit runs after Critter's.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    bus.publish(new AccountOpened("from-after-commit"));
                }
            });
        }));
        assertThat(handled.of("published-in-transaction")).containsExactly(true);
        assertThat(handled.of("from-after-commit")).containsExactly(true);

        tracking.executeAndWait(() -> accounts.openAnnouncingToSpring("from-event-listener"));
        assertThat(handled.of("from-event-listener")).containsExactly(true);
    }

    @Test
    void withoutATransactionAMessageIsSentAtOnce() {
        bus.publish(new Ping("no-transaction"));
        await().atMost(WAIT).until(() -> handled.pings().contains("no-transaction"));

        // SUPPORTS without an outer transaction: synchronization is on, but there is nothing to commit.
        accounts.publishWithoutTransaction(new Ping("supports"),
                () -> await().atMost(WAIT).until(() -> handled.pings().contains("supports")));
    }

    @Test
    void aSendThatFailsAfterTheCommitStaysInTheOutboxAndTheRelaySendsItLater() {
        OutboxRows outboxRows = new OutboxRows(jdbc);
        CountDownLatch release = new CountDownLatch(1);
        handled.blockImportsUntil(release);
        long deadBefore = deadLetters.count();
        try {
            // slow-import runs one at a time and holds one more: of three, one finds the queue full
            // for the whole publish timeout after the commit, and its outbox row stays.
            accounts.openAndImport("after-failed-send", 3);
            await().atMost(WAIT).until(() -> outboxRows.count(SlowImport.class) == 1);
            await().atMost(WAIT).until(() -> handled.times("after-failed-send") == 1);
        } finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> handled.imports().size() == 3);
        assertThat(handled.imports()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(rows("after-failed-send")).isOne();
        await().atMost(WAIT).until(() -> outboxRows.count() == 0);
        assertThat(deadLetters.count()).as("nothing dead-lettered: the relay kept trying").isEqualTo(deadBefore);
    }

    private void insert(String id) {
        jdbc.sql("INSERT INTO account (id) VALUES (?)").param(id).update();
    }

    private int rows(String id) {
        return jdbc.sql("SELECT count(*) FROM account WHERE id = ?").param(id).query(Integer.class).single();
    }

    /** Application code: {@code @Transactional} methods that write a row and publish. */
    public static class Accounts {

        private final JdbcClient jdbc;
        private final IMessageBus bus;
        private final ApplicationEventPublisher events;

        public Accounts(JdbcClient jdbc, IMessageBus bus, ApplicationEventPublisher events) {
            this.jdbc = jdbc;
            this.bus = bus;
            this.events = events;
        }

        @Transactional
        public void open(String id) {
            insert(id);
            bus.publish(new AccountOpened(id));
        }

        @Transactional
        public void openWhile(String id, Runnable meanwhile) {
            open(id);
            meanwhile.run();
        }

        @Transactional
        public void openThenFail(String id) {
            open(id);
            throw new IllegalStateException("rolls back " + id);
        }

        @Transactional
        public void openSeveral(String first, String second, String third) {
            insert(first);
            insert(second);
            insert(third);
            bus.publish(new AccountOpened(first));
            bus.send(new AccountOpened(second));
            bus.schedule(new AccountOpened(third), Duration.ofMillis(50));
        }

        @Transactional
        public void openAndSendUnrouted(String id) {
            insert(id);
            bus.send(new Unrouted(id));
        }

        @Transactional
        public void openByInvoking(String id, boolean fail) {
            insert(id);
            bus.invoke(new OpenAccount(id));
            if (fail) {
                throw new IllegalStateException("rolls back " + id);
            }
        }

        @Transactional
        public void openAndImport(String id, int imports) {
            insert(id);
            for (int i = 1; i <= imports; i++) {
                bus.publish(new SlowImport(i));
            }
            bus.publish(new AccountOpened(id));
        }

        @Transactional
        public void openAnnouncingToSpring(String id) {
            insert(id);
            events.publishEvent(new AccountCreated(id));
        }

        @Transactional(propagation = Propagation.SUPPORTS)
        public void publishWithoutTransaction(Object message, Runnable meanwhile) {
            bus.publish(message);
            meanwhile.run();
        }

        private void insert(String id) {
            jdbc.sql("INSERT INTO account (id) VALUES (?)").param(id).update();
        }
    }

    /** A Spring application event, published inside the transaction. */
    public record AccountCreated(String id) { }

    /** Turns the Spring event into a message once the transaction committed (Spring calls it after the commit). */
    public static class AccountAnnouncer {

        private final IMessageBus bus;

        public AccountAnnouncer(IMessageBus bus) {
            this.bus = bus;
        }

        @TransactionalEventListener
        public void on(AccountCreated created) {
            bus.publish(new AccountOpened(created.id()));
        }
    }

    /** Handles the test's messages and records what it saw. */
    public static class AccountHandler {

        public void handle(AccountOpened opened, JdbcClient jdbc, Handled handled) {
            boolean rowVisible = jdbc.sql("SELECT count(*) FROM account WHERE id = ?").param(opened.id())
                    .query(Integer.class).single() == 1;
            handled.add(opened.id(), rowVisible);
        }

        public AccountOpened handle(OpenAccount open, Handled handled) {
            handled.invoked(open.id());
            return new AccountOpened(open.id());
        }

        public void handle(Ping ping, Handled handled) {
            handled.ping(ping.id());
        }

        public void handle(SlowImport slow, Handled handled) throws InterruptedException {
            handled.imported(slow.number());
        }
    }

    /** What the handlers saw, shared between handlers and test: per account, whether the handler found its row. */
    public static class Handled extends SeenById<Boolean> {

        private final List<String> invocations = new CopyOnWriteArrayList<>();
        private final List<String> pings = new CopyOnWriteArrayList<>();
        private final List<Integer> imports = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch importsRelease = new CountDownLatch(0);

        void invoked(String id) {
            invocations.add(id);
        }

        List<String> invocations() {
            return invocations;
        }

        void ping(String id) {
            pings.add(id);
        }

        List<String> pings() {
            return pings;
        }

        void blockImportsUntil(CountDownLatch release) {
            importsRelease = release;
        }

        void imported(int number) throws InterruptedException {
            importsRelease.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            imports.add(number);
        }

        List<Integer> imports() {
            return imports;
        }
    }

    @JdbcTestApplication
    static class App {

        @Bean
        Accounts accounts(JdbcClient jdbc, IMessageBus bus, ApplicationEventPublisher events) {
            return new Accounts(jdbc, bus, events);
        }

        @Bean
        AccountAnnouncer accountAnnouncer(IMessageBus bus) {
            return new AccountAnnouncer(bus);
        }

        @Bean
        Handled handled() {
            return new Handled();
        }
    }
}
