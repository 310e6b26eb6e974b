package dev.critter.transaction.handlers.failures;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.InMemoryDeadLetters;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.SeenById;
import dev.critter.support.WithTestPostgres;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transactional handlers on paths where the transaction and the handler's messages could part
 * ways, against real PostgreSQL: a savepoint rolled back inside the handler, an after-commit
 * callback that throws once the data committed, and a cascade that cannot be sent after the commit.
 */
@SpringBootTest(classes = TransactionalHandlerFailurePathsIntegrationTests.App.class, properties = {
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:dev/critter/transaction/handlers/failures/schema.sql",
        "critter.shutdown-timeout=5s"})
@WithTestPostgres
@DirtiesContext
class TransactionalHandlerFailurePathsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public record Reserve(String id) { }
    public record Reserved(String id) { }
    public record StockReserved(String id) { }
    public record Pay(String id) { }
    public record Paid(String id) { }
    public record Ship(String id) { }
    public record Label(String id) { }
    public record Shipped(String id) { }

    @Autowired MessageTracking tracking;
    @Autowired IMessageBus bus;
    @Autowired JdbcTemplate jdbc;
    @Autowired Journal journal;

    @Test
    void aMessagePublishedInsideASavepointThatRollsBackIsNotSentWhenTheHandlerCommits() {
        TrackedSession session = tracking.publishAndWait(new Reserve("partly"));

        assertThat(rows("reservations", "partly")).isOne();
        assertThat(rows("stock", "partly")).as("the NESTED service's insert was rolled back to its savepoint").isZero();
        assertThat(session.executed().messagesOf(Reserved.class)).containsExactly(new Reserved("partly"));
        assertThat(session.sent().messagesOf(StockReserved.class))
                .as("published inside the savepoint that rolled back").isEmpty();
    }

    @Test
    void aHandlerWhoseTransactionCommittedIsNotRunAgainWhenAnEarlierAfterCommitCallbackThrows() {
        TrackedSession session = tracking.allowingFailures().publishAndWait(new Pay("paid-once"));

        assertThat(journal.of("paid-once")).as("handler runs").containsExactly("paying paid-once");
        assertThat(rows("payments", "paid-once")).isOne();
        assertThat(session.executed().messagesOf(Paid.class)).containsExactly(new Paid("paid-once"));
        assertThat(session.deadLettered().messagesOf(Pay.class)).isEmpty();
    }

    @Test
    void aCascadeThatCannotBeSentOrDeadLetteredAfterTheCommitDoesNotStopTheNextOne() {
        bus.publish(new Ship("shipped"));

        await().atMost(WAIT).until(() -> journal.of("shipped").contains("shipped shipped"));
        assertThat(rows("shipments", "shipped")).isOne();
    }

    private int rows(String table, String id) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Integer.class, id);
    }

    public static class ReserveHandler {

        public Reserved handle(Reserve reserve, JdbcTemplate jdbc, Stock stock) {
            jdbc.update("INSERT INTO reservations (id) VALUES (?)", reserve.id());
            try {
                stock.reserve(reserve.id());
            } catch (IllegalStateException outOfStock) {
                // The reservation stands without stock: the NESTED call rolled back to its savepoint.
            }
            return new Reserved(reserve.id());
        }
    }

    /** A service the handler calls; its own part of the work rolls back to a savepoint when it fails. */
    public static class Stock {

        private final JdbcTemplate jdbc;
        private final IMessageBus bus;

        public Stock(JdbcTemplate jdbc, IMessageBus bus) {
            this.jdbc = jdbc;
            this.bus = bus;
        }

        @Transactional(propagation = Propagation.NESTED)
        public void reserve(String id) {
            jdbc.update("INSERT INTO stock (id) VALUES (?)", id);
            bus.publish(new StockReserved(id));
            throw new IllegalStateException("out of stock for " + id);
        }
    }

    public static class ReservedHandler {

        public void handle(Reserved reserved) {
        }

        public void handle(StockReserved reserved) {
        }
    }

    public static class PaymentHandler {

        public Paid handle(Pay pay, JdbcTemplate jdbc, Journal journal) {
            journal.add(pay.id(), "paying " + pay.id());
            jdbc.update("INSERT INTO payments (id) VALUES (?)", pay.id());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public int getOrder() {
                    return Ordered.HIGHEST_PRECEDENCE;
                }

                @Override
                public void afterCommit() {
                    throw new IllegalStateException("a listener failed after " + pay.id() + " committed");
                }
            });
            return new Paid(pay.id());
        }

        public void handle(Paid paid) {
        }
    }

    public static class ShippingHandler {

        public void handle(Ship ship, JdbcTemplate jdbc, MessageContext context) {
            jdbc.update("INSERT INTO shipments (id) VALUES (?)", ship.id());
            context.publish(new Label(ship.id()));
            context.publish(new Shipped(ship.id()));
        }

        /** Never runs: labels go to a destination that refuses them. */
        public void handle(Label label) {
        }

        public void handle(Shipped shipped, Journal journal) {
            journal.add(shipped.id(), "shipped " + shipped.id());
        }
    }

    /** What handlers saw, by message id. */
    public static class Journal extends SeenById<String> {
    }

    /** The in-memory store, except that it cannot take a label (its database is down too). */
    static final class LabelRefusingDeadLetters implements DeadLetterStore {

        private final InMemoryDeadLetters delegate = new InMemoryDeadLetters(100);

        @Override
        public void add(DeadLetter deadLetter) {
            if (deadLetter.envelope().message() instanceof Label) {
                throw new IllegalStateException("the dead letter store is down too");
            }
            delegate.add(deadLetter);
        }

        @Override
        public void replayWith(Consumer<DeadLetter> replayer) {
            delegate.replayWith(replayer);
        }

        @Override
        public List<DeadLetter> list() {
            return delegate.list();
        }

        @Override
        public List<DeadLetter> list(String messageType) {
            return delegate.list(messageType);
        }

        @Override
        public Optional<DeadLetter> find(UUID id) {
            return delegate.find(id);
        }

        @Override
        public boolean replay(UUID id) {
            return delegate.replay(id);
        }

        @Override
        public boolean discard(UUID id) {
            return delegate.discard(id);
        }

        @Override
        public long count() {
            return delegate.count();
        }

        @Override
        public long evicted() {
            return delegate.evicted();
        }
    }

    @JdbcTestApplication
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Stock stock(JdbcTemplate jdbc, IMessageBus bus) {
            return new Stock(jdbc, bus);
        }

        /** Ahead of the local queues, so labels go to the refusing endpoint by convention. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        RefusingTransport refusingTransport() {
            return new RefusingTransport(Label.class);
        }

        @Bean
        DeadLetterStore deadLetters() {
            return new LabelRefusingDeadLetters();
        }

        @Bean
        CritterConfigurer retries() {
            return options -> options.forMessage(Pay.class).onException(IllegalStateException.class).retryTimes(2);
        }
    }
}
