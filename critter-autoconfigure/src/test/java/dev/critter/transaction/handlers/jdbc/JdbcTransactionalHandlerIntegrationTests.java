package dev.critter.transaction.handlers.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.runtime.MessageObserver;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.SeenById;
import dev.critter.support.WithTestPostgres;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactional handlers on a JDBC transaction manager, against real PostgreSQL (SPEC §2
 * "Transactions"): a handler taking a JdbcTemplate, DataSource or Connection, or annotated
 * {@code @Transactional}, runs in a transaction; its cascades wait for the commit and are dropped
 * on rollback; a retry runs a new transaction.
 */
@SpringBootTest(classes = JdbcTransactionalHandlerIntegrationTests.App.class, properties = {
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:dev/critter/transaction/handlers/jdbc/schema.sql",
        "critter.shutdown-timeout=5s",
        // Seven queues with transactional handlers: 2 workers each, plus 2 background connections.
        "critter.local.default-parallelism=2", "spring.datasource.hikari.maximum-pool-size=16"})
@WithTestPostgres
@DirtiesContext
class JdbcTransactionalHandlerIntegrationTests {

    public record PlaceOrder(String id) { }
    public record OrderPlaced(String id) { }
    public record FailingOrder(String id) { }
    public record FlakyOrder(String id) { }
    public record AuditOrder(String id, boolean fail) { }
    public record ReadReport(String id) { }
    public record PostLedger(String id, boolean fail) { }

    @Autowired MessageTracking tracking;
    @Autowired IMessageBus bus;
    @Autowired Journal journal;
    @Autowired JdbcTemplate jdbc;
    @Autowired Orders orders;
    @Autowired CritterDiagnostics diagnostics;

    @Test
    void aJdbcTemplateHandlersInsertAndItsCascadeCommitTogetherAndTheCascadeIsSentAfterTheCommit() {
        TrackedSession session = tracking.publishAndWait(new PlaceOrder("together"));

        assertThat(session.executed().messagesOf(OrderPlaced.class)).containsExactly(new OrderPlaced("together"));
        assertThat(rows("orders", "together")).isOne();
        assertThat(journal.cascades.of("together")).as("the cascade's handler saw the committed row").containsExactly(1);
        assertThat(journal.of("together")).containsExactly("handled together", "committed together",
                "sent together");
    }

    @Test
    void aHandlerThatThrowsAfterInsertingLeavesNoRowAndSendsNoCascade() {
        TrackedSession session = tracking.allowingFailures().publishAndWait(new FailingOrder("failing"));

        assertThat(session.deadLettered().messagesOf(FailingOrder.class)).containsExactly(new FailingOrder("failing"));
        assertThat(session.sent().messagesOf(OrderPlaced.class)).isEmpty();
        assertThat(rows("orders", "failing")).isZero();
        assertThat(journal.cascades.of("failing")).isEmpty();
    }

    @Test
    void aRetryAfterAFailureRunsANewTransactionAndCommitsOnce() {
        TrackedSession session = tracking.publishAndWait(new FlakyOrder("flaky"));

        assertThat(journal.transactions.of("flaky")).as("one transaction per attempt").hasSize(2).doesNotHaveDuplicates();
        assertThat(jdbc.queryForList("SELECT attempt FROM orders WHERE id = ?", Integer.class, "flaky"))
                .as("the first attempt's row was rolled back").containsExactly(2);
        assertThat(session.executed().messagesOf(OrderPlaced.class)).containsExactly(new OrderPlaced("flaky"));
        assertThat(journal.cascades.of("flaky")).containsExactly(1);
    }

    @Test
    void transactionalOnTheClassRunsTheHandlerInATransactionAndHoldsWhatItPublishesThroughTheBus() {
        TrackedSession committed = tracking.publishAndWait(new AuditOrder("audited", false));
        assertThat(journal.transactionNames.of("audited")).containsExactly("AuditHandler.handle(AuditOrder)");
        assertThat(rows("audit", "audited")).isOne();
        assertThat(committed.executed().messagesOf(OrderPlaced.class)).containsExactly(new OrderPlaced("audited"));

        TrackedSession rolledBack = tracking.allowingFailures().publishAndWait(new AuditOrder("audit-fails", true));
        assertThat(rolledBack.deadLettered().messagesOf(AuditOrder.class)).hasSize(1);
        assertThat(rows("audit", "audit-fails")).isZero();
        assertThat(rolledBack.sent().messagesOf(OrderPlaced.class)).isEmpty();
    }

    @Test
    void transactionalOnTheMethodAppliesItsIsolationAndReadOnly() {
        tracking.publishAndWait(new ReadReport("report"));

        assertThat(journal.of("report")).containsExactly("serializable, read only on");
    }

    @Test
    void aConnectionParameterIsTheTransactionsConnection() {
        tracking.publishAndWait(new PostLedger("ledger", false));
        assertThat(journal.of("ledger")).containsExactly(
                "auto-commit false, JdbcTemplate sees 1, same as DataSourceUtils true");
        assertThat(rows("ledger", "ledger")).isOne();

        tracking.allowingFailures().publishAndWait(new PostLedger("ledger-fails", true));
        assertThat(rows("ledger", "ledger-fails")).as("rolled back with the transaction").isZero();
    }

    @Test
    void invokeInsideACallersTransactionJoinsItAndItsCascadesWaitForTheCallersCommit() {
        assertThatThrownBy(() -> orders.placeByInvoking("invoked-rolled-back", true))
                .isInstanceOf(IllegalStateException.class);
        assertThat(journal.of("invoked-rolled-back")).contains("handled invoked-rolled-back");
        assertThat(rows("orders", "invoked-rolled-back")).isZero();
        assertThat(rows("audit", "invoked-rolled-back")).isZero();

        TrackedSession session = tracking.executeAndWait(() -> orders.placeByInvoking("invoked-committed", false));
        assertThat(rows("orders", "invoked-committed")).isOne();
        assertThat(session.executed().messagesOf(OrderPlaced.class)).containsExactly(new OrderPlaced("invoked-committed"));
        assertThat(journal.cascades.of("invoked-rolled-back")).as("never sent").isEmpty();
    }

    @Test
    void aHandlerThatFailsInsideACallersTransactionIsNotRetriedThere() {
        assertThatThrownBy(() -> orders.invokeFlaky("flaky-inline")).isInstanceOf(IllegalStateException.class)
                .hasMessage("first attempt fails");

        assertThat(journal.transactions.of("flaky-inline")).as("one attempt: the caller's transaction is doomed")
                .hasSize(1);
        assertThat(rows("orders", "flaky-inline")).isZero();
    }

    @Test
    void invokeOutsideATransactionRunsTheHandlerInItsOwn() {
        TrackedSession session = tracking.invokeAndWait(new PlaceOrder("invoked-alone"));

        assertThat(session.executed().messagesOf(OrderPlaced.class)).containsExactly(new OrderPlaced("invoked-alone"));
        assertThat(journal.of("invoked-alone")).containsExactly("handled invoked-alone", "committed invoked-alone",
                "sent invoked-alone");
    }

    @Test
    void diagnosticsShowEachChainsTransaction() {
        assertThat(diagnostics.handlerChains()).filteredOn(chain -> chain.messageType().equals(PlaceOrder.class.getName()))
                .singleElement().satisfies(chain -> {
                    assertThat(chain.transaction()).isEqualTo("PROPAGATION_REQUIRED,ISOLATION_DEFAULT on "
                            + "'transactionManager' (JdbcTransactionManager), because parameter 2 is a JdbcTemplate");
                    assertThat(chain.sourceText()).contains("// transaction: PROPAGATION_REQUIRED");
                });
        assertThat(diagnostics.handlerChains()).filteredOn(chain -> chain.messageType().equals(PostLedger.class.getName()))
                .singleElement().satisfies(chain -> assertThat(chain.parameters())
                        .contains("Connection: the transaction's JDBC connection (DataSourceUtils.getConnection)"));
    }

    private int rows(String table, String id) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Integer.class, id);
    }

    /** Places orders by inserting and invoking, inside a transaction of its own. */
    public static class Orders {

        private final JdbcTemplate jdbc;
        private final IMessageBus bus;

        public Orders(JdbcTemplate jdbc, IMessageBus bus) {
            this.jdbc = jdbc;
            this.bus = bus;
        }

        @Transactional
        public void placeByInvoking(String id, boolean fail) {
            jdbc.update("INSERT INTO audit (id) VALUES (?)", id);
            bus.invoke(new PlaceOrder(id));
            if (fail) {
                throw new IllegalStateException("the caller rolls back " + id);
            }
        }

        @Transactional
        public void invokeFlaky(String id) {
            bus.invoke(new FlakyOrder(id));
        }
    }

    public static class OrderHandler {

        public OrderPlaced handle(PlaceOrder order, JdbcTemplate jdbc, Journal journal) {
            jdbc.update("INSERT INTO orders (id, attempt, tx) VALUES (?, 1, txid_current())", order.id());
            journal.add(order.id(), "handled " + order.id());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    journal.add(order.id(), "committed " + order.id());
                }
            });
            return new OrderPlaced(order.id());
        }

        public void handle(FailingOrder order, JdbcTemplate jdbc, MessageContext context) {
            jdbc.update("INSERT INTO orders (id, attempt, tx) VALUES (?, 1, txid_current())", order.id());
            context.publish(new OrderPlaced(order.id()));
            throw new IllegalStateException("fails after inserting " + order.id());
        }

        public OrderPlaced handle(FlakyOrder order, JdbcTemplate jdbc, MessageContext context, Journal journal) {
            long tx = jdbc.queryForObject("SELECT txid_current()", Long.class);
            journal.transactions.add(order.id(), tx);
            jdbc.update("INSERT INTO orders (id, attempt, tx) VALUES (?, ?, ?)", order.id(), context.attempts(), tx);
            if (context.attempts() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return new OrderPlaced(order.id());
        }
    }

    /** Transactional too (a JdbcTemplate parameter): counts the rows of the order it announces. */
    public static class OrderPlacedHandler {

        public void handle(OrderPlaced placed, JdbcTemplate jdbc, Journal journal) {
            journal.cascades.add(placed.id(),
                    jdbc.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Integer.class, placed.id()));
        }
    }

    /** A class-level {@code @Transactional}: Critter creates it through the bean factory, so it is a Spring proxy. */
    @Transactional
    public static class AuditHandler {

        private final JdbcTemplate jdbc;
        private final IMessageBus bus;
        private final Journal journal;

        public AuditHandler(JdbcTemplate jdbc, IMessageBus bus, Journal journal) {
            this.jdbc = jdbc;
            this.bus = bus;
            this.journal = journal;
        }

        public void handle(AuditOrder audit) {
            jdbc.update("INSERT INTO audit (id) VALUES (?)", audit.id());
            journal.transactionNames.add(audit.id(), TransactionSynchronizationManager.isActualTransactionActive()
                    ? TransactionSynchronizationManager.getCurrentTransactionName() : "no transaction");
            bus.publish(new OrderPlaced(audit.id()));
            if (audit.fail()) {
                throw new IllegalStateException("audit fails " + audit.id());
            }
        }
    }

    public static class ReportHandler {

        @Transactional(isolation = Isolation.SERIALIZABLE, readOnly = true)
        public void handle(ReadReport report, JdbcTemplate jdbc, Journal journal) {
            journal.add(report.id(), jdbc.queryForObject("SHOW transaction_isolation", String.class) + ", read only "
                    + jdbc.queryForObject("SHOW transaction_read_only", String.class));
        }
    }

    public static class LedgerHandler {

        public void handle(PostLedger post, Connection connection, JdbcTemplate jdbc, DataSource dataSource,
                           Journal journal) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (id) VALUES (?)")) {
                insert.setString(1, post.id());
                insert.executeUpdate();
            }
            int seen = jdbc.queryForObject("SELECT count(*) FROM ledger WHERE id = ?", Integer.class, post.id());
            journal.add(post.id(), "auto-commit " + connection.getAutoCommit() + ", JdbcTemplate sees " + seen
                    + ", same as DataSourceUtils " + (connection == DataSourceUtils.getConnection(dataSource)));
            if (post.fail()) {
                throw new IllegalStateException("ledger fails " + post.id());
            }
        }
    }

    /** What handlers and observers saw, by message id: entries, and what the cascades and attempts saw. */
    public static class Journal extends SeenById<String> {

        /** Per order, the rows of it each cascade's handler counted. */
        final SeenById<Integer> cascades = new SeenById<>();
        /** Per order, the transaction id of each attempt. */
        final SeenById<Long> transactions = new SeenById<>();
        /** Per order, the name of the transaction each attempt ran in. */
        final SeenById<String> transactionNames = new SeenById<>();
    }

    @JdbcTestApplication
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Orders orders(JdbcTemplate jdbc, IMessageBus bus) {
            return new Orders(jdbc, bus);
        }

        /** Records when a cascade is handed to its queue, to compare with the commit. */
        @Bean
        MessageObserver sendJournal(Journal journal) {
            return new MessageObserver() {
                @Override
                public void sent(Envelope envelope, String destination) {
                    if (envelope.message() instanceof OrderPlaced placed) {
                        journal.add(placed.id(), "sent " + placed.id());
                    }
                }
            };
        }

        @Bean
        CritterConfigurer errorPolicies() {
            return options -> {
                options.forMessage(FlakyOrder.class).onException(IllegalStateException.class).retryTimes(2);
                options.onException(IllegalStateException.class).moveToDeadLetterQueue();
            };
        }
    }
}
