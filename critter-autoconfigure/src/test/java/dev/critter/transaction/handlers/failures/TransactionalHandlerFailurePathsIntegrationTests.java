package dev.critter.transaction.handlers.failures;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.IMessageBus;
import dev.critter.support.TestPostgres;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional handlers on paths where the transaction and the handler's messages could part
 * ways, against real PostgreSQL: a savepoint rolled back inside the handler.
 */
@SpringBootTest(classes = TransactionalHandlerFailurePathsIntegrationTests.App.class, properties = {
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:dev/critter/transaction/handlers/failures/schema.sql",
        "critter.shutdown-timeout=5s"})
@DirtiesContext
class TransactionalHandlerFailurePathsIntegrationTests {

    public record Reserve(String id) { }
    public record Reserved(String id) { }
    public record StockReserved(String id) { }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.newDatabase(TransactionalHandlerFailurePathsIntegrationTests.class).register(registry);
    }

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

    /** What handlers saw, by message id. */
    public static class Journal {

        private final Map<String, List<String>> entries = new ConcurrentHashMap<>();

        void add(String id, String entry) {
            entries.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(entry);
        }

        List<String> entries(String id) {
            return entries.getOrDefault(id, List.of());
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Stock stock(JdbcTemplate jdbc, IMessageBus bus) {
            return new Stock(jdbc, bus);
        }
    }
}
