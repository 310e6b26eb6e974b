package dev.critter.durability.outbox.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.OutboxRows;
import dev.critter.support.WithTestPostgres;
import dev.critter.transport.Destination;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Outbox;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox with a plain JDBC transaction manager, against real PostgreSQL:
 * messages published in a transaction are rows of {@code critter_outgoing_envelopes} in it, sent
 * once after the commit and deleted; a rollback leaves neither rows nor messages.
 */
@SpringBootTest(classes = JdbcOutboxIntegrationTests.App.class, properties = {
        "critter.shutdown-timeout=5s",
        "critter.durability.poll-interval=200ms"})
@WithTestPostgres
@DirtiesContext
class JdbcOutboxIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public record TicketSold(String id) { }
    public record SellTicket(String id) { }
    public record Receipt(String id) { }

    @Autowired Box office;
    @Autowired Handled handled;
    @Autowired IMessageBus bus;
    @Autowired JdbcClient jdbc;
    @Autowired OutboxRows outboxRows;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired Outbox outbox;
    @Autowired ReceiptTransport receipts;

    @Test
    void theApplicationRunsPlainJdbcTransactionsAndTheJdbcOutbox() {
        assertThat(transactionManager).isInstanceOf(JdbcTransactionManager.class);
        assertThat(outbox).isInstanceOf(JdbcOutbox.class);
    }

    @Test
    void messagesOfACommittedTransactionAreRowsInItAndHandledExactlyOnce() {
        List<Long> rowsBeforeCommit = office.sell("c", 3);

        assertThat(rowsBeforeCommit).as("outbox rows seen in the transaction just before it committed")
                .containsExactly(3L);
        awaitOutboxEmpty();
        assertThat(handled.times("c-1")).isOne();
        assertThat(handled.times("c-2")).isOne();
        assertThat(handled.times("c-3")).isOne();
    }

    @Test
    void aHundredMessagesInOneTransactionAreAllHandledOnce() {
        List<Long> rowsBeforeCommit = office.sell("h", 100);

        assertThat(rowsBeforeCommit).containsExactly(100L);
        awaitOutboxEmpty();
        for (int i = 1; i <= 100; i++) {
            assertThat(handled.times("h-" + i)).as("h-" + i).isOne();
        }
    }

    @Test
    void aRolledBackTransactionLeavesNoRowAndPublishesNothing() {
        assertThatThrownBy(() -> office.sellThenFail("r", 5)).hasMessageContaining("rolls back");

        assertThat(outboxRows.count()).isZero();
        // Once a later message is handled, anything committed before it would have been sent too.
        office.sell("after-rollback", 1);
        await().atMost(WAIT).until(() -> handled.times("after-rollback-1") == 1);
        awaitOutboxEmpty();
        for (int i = 1; i <= 5; i++) {
            assertThat(handled.times("r-" + i)).isZero();
        }
        assertThat(sold("r")).isZero();
    }

    @Test
    void aTransactionWhoseCommitFailsAfterItsRowsWereWrittenPublishesNothing() {
        // The deferred constraint fails the commit itself, after Critter's beforeCommit wrote the rows.
        assertThatThrownBy(() -> office.sellTwice("commit-fails")).hasMessageContaining("one_per_seat");

        assertThat(outboxRows.count()).isZero();
        office.sell("after-failed-commit", 1);
        await().atMost(WAIT).until(() -> handled.times("after-failed-commit-1") == 1);
        awaitOutboxEmpty();
        assertThat(handled.times("commit-fails")).isZero();
    }

    @Test
    void cascadesOfATransactionalHandlerAreRowsInItsTransaction() {
        office.sellThroughHandler("cascade");

        await().atMost(WAIT).until(() -> handled.times("cascade") == 1);
        awaitOutboxEmpty();
        assertThat(handled.cascadeRowsBeforeCommit()).as("the cascade's row, seen in the handler's transaction")
                .containsExactly(1L);
        assertThat(handled.times("cascade")).isOne();
    }

    @Test
    void aDurableEndpointStoresItsCopyInTheTransactionWithoutAnOutboxRow() {
        List<Long> rows = office.receipt("durable");

        assertThat(rows).as("no outbox row for a durable endpoint's copy").containsExactly(0L);
        await().atMost(WAIT).until(() -> receipts.endpoint.handled.contains("durable"));
        assertThat(receipts.endpoint.storedInTransaction).containsExactly("durable");
        assertThat(outboxRows.count()).isZero();
    }

    @Test
    void aDurableEndpointsCopyOfARolledBackTransactionIsNeverQueued() {
        assertThatThrownBy(() -> office.receiptThenFail("durable-rolled-back")).hasMessageContaining("rolls back");

        // A transaction that rolls back never reaches beforeCommit: nothing is stored anywhere.
        assertThat(receipts.endpoint.storedInTransaction).doesNotContain("durable-rolled-back");
        office.receipt("durable-after-rollback");
        await().atMost(WAIT).until(() -> receipts.endpoint.handled.contains("durable-after-rollback"));
        assertThat(receipts.endpoint.queued).doesNotContain("durable-rolled-back");
        assertThat(receipts.endpoint.handled).doesNotContain("durable-rolled-back");
    }

    private void awaitOutboxEmpty() {
        outboxRows.awaitEmpty(outbox, WAIT);
    }

    private long sold(String prefix) {
        return jdbc.sql("SELECT count(*) FROM ticket WHERE id LIKE ?").param(prefix + "-%").query(Long.class).single();
    }

    /** Application code: sells tickets (a row each) and announces them, in one transaction. */
    public static class Box {

        private final JdbcClient jdbc;
        private final IMessageBus bus;
        private final OutboxRows outboxRows;

        public Box(JdbcClient jdbc, IMessageBus bus, OutboxRows outboxRows) {
            this.jdbc = jdbc;
            this.bus = bus;
            this.outboxRows = outboxRows;
        }

        @Transactional
        public List<Long> sell(String prefix, int tickets) {
            List<Long> seen = outboxRows.countBeforeCommit();
            for (int i = 1; i <= tickets; i++) {
                jdbc.sql("INSERT INTO ticket (id) VALUES (?)").param(prefix + "-" + i).update();
                bus.publish(new TicketSold(prefix + "-" + i));
            }
            return seen;
        }

        @Transactional
        public void sellTwice(String seat) {
            jdbc.sql("INSERT INTO seat (id) VALUES (?), (?)").param(seat).param(seat).update();
            bus.publish(new TicketSold(seat));
        }

        @Transactional
        public void sellThenFail(String prefix, int tickets) {
            sell(prefix, tickets);
            throw new IllegalStateException("rolls back " + prefix);
        }

        public void sellThroughHandler(String id) {
            bus.publish(new SellTicket(id));
        }

        @Transactional
        public List<Long> receipt(String id) {
            List<Long> seen = outboxRows.countBeforeCommit();
            bus.publish(new Receipt(id));
            return seen;
        }

        @Transactional
        public void receiptThenFail(String id) {
            bus.publish(new Receipt(id));
            throw new IllegalStateException("rolls back " + id);
        }
    }

    /** A transactional handler (it takes a JdbcClient) that cascades a message. */
    public static class SellTicketHandler {

        public TicketSold handle(SellTicket sell, JdbcClient jdbc, Handled handled, OutboxRows outboxRows) {
            jdbc.sql("INSERT INTO ticket (id) VALUES (?)").param(sell.id()).update();
            outboxRows.countBeforeCommit(handled.cascadeRowsBeforeCommit);
            return new TicketSold(sell.id());
        }
    }

    public static class TicketSoldHandler {

        public void handle(TicketSold sold, Handled handled) {
            handled.saw(sold.id());
        }
    }

    /** What the handlers saw, shared between handlers and test. */
    public static class Handled {

        private final Map<String, AtomicInteger> times = new ConcurrentHashMap<>();
        final List<Long> cascadeRowsBeforeCommit = new CopyOnWriteArrayList<>();

        void saw(String id) {
            times.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        int times(String id) {
            AtomicInteger count = times.get(id);
            return count == null ? 0 : count.get();
        }

        List<Long> cascadeRowsBeforeCommit() {
            return cascadeRowsBeforeCommit;
        }
    }

    /** A durable endpoint of this test: stores in the caller's transaction and queues after its commit. */
    static final class ReceiptEndpoint implements DurableEndpoint {

        final List<String> storedInTransaction = new CopyOnWriteArrayList<>();
        final List<String> queued = new CopyOnWriteArrayList<>();
        final Set<String> handled = ConcurrentHashMap.newKeySet();
        private final Destination destination = new Destination("testinbox", "receipts");
        private EnvelopeReceiver receiver;

        @Override
        public Destination destination() {
            return destination;
        }

        @Override
        public void send(Envelope envelope, boolean fromHandler) {
            queued.add(((Receipt) envelope.message()).id());
            receiver.receive(envelope, this);
        }

        @Override
        public void storeInTransaction(Envelope envelope) {
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                throw new IllegalStateException("storeInTransaction without a transaction");
            }
            storedInTransaction.add(((Receipt) envelope.message()).id());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send(envelope, false);
                }
            });
        }

        @Override
        public boolean markHandledInTransaction(Envelope envelope, String chainId) {
            return true;
        }
    }

    static final class ReceiptTransport implements Transport {

        final ReceiptEndpoint endpoint = new ReceiptEndpoint();

        @Override
        public String scheme() {
            return "testinbox";
        }

        @Override
        public List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
            endpoint.receiver = receiver;
            return new ArrayList<>(List.of(endpoint));
        }

        @Override
        public Optional<Destination> conventionalDestination(Class<?> handledType) {
            return handledType == Receipt.class ? Optional.of(endpoint.destination()) : Optional.empty();
        }

        @Override
        public void start() {
        }

        @Override
        public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        }
    }

    public static class ReceiptHandler {

        public void handle(Receipt receipt, ReceiptTransport transport) {
            transport.endpoint.handled.add(receipt.id());
        }
    }

    @JdbcTestApplication
    static class App {

        @Bean
        OutboxRows outboxRows(JdbcClient jdbc) {
            return new OutboxRows(jdbc);
        }

        @Bean
        Box box(JdbcClient jdbc, IMessageBus bus, OutboxRows outboxRows) {
            jdbc.sql("CREATE TABLE IF NOT EXISTS ticket (id text PRIMARY KEY)").update();
            jdbc.sql("CREATE TABLE IF NOT EXISTS seat (id text, CONSTRAINT one_per_seat UNIQUE (id) "
                    + "DEFERRABLE INITIALLY DEFERRED)").update();
            return new Box(jdbc, bus, outboxRows);
        }

        @Bean
        Handled handled() {
            return new Handled();
        }

        @Bean
        ReceiptTransport receiptTransport() {
            return new ReceiptTransport();
        }
    }
}
