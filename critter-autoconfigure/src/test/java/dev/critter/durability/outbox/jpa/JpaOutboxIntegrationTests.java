package dev.critter.durability.outbox.jpa;

import java.time.Duration;
import java.util.List;

import dev.critter.IMessageBus;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.support.OutboxRows;
import dev.critter.support.SeenById;
import dev.critter.support.WithTestPostgres;
import dev.critter.transport.Outbox;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox with Spring Data JPA (Hibernate, {@link JpaTransactionManager}), against
 * real PostgreSQL: an entity saved through a repository and a message published in one
 * {@code @Transactional} method commit together, the outbox row written on the JDBC connection
 * JPA exposes; a rollback leaves neither.
 */
@SpringBootTest(classes = JpaOutboxIntegrationTests.App.class, properties = {
        "spring.jpa.hibernate.ddl-auto=create",
        "spring.jpa.open-in-view=false",
        "critter.shutdown-timeout=5s",
        "critter.durability.poll-interval=200ms"})
@WithTestPostgres
@DirtiesContext
class JpaOutboxIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public record BookingMade(String id) { }

    @Autowired Bookings bookings;
    @Autowired BookingRepository repository;
    @Autowired Handled handled;
    @Autowired OutboxRows outboxRows;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired Outbox outbox;

    @Test
    void theApplicationUsesTheJpaTransactionManagerAndTheJdbcOutbox() {
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
        assertThat(outbox).isInstanceOf(JdbcOutbox.class);
    }

    @Test
    void anEntityAndItsMessageCommitTogetherAndTheMessageIsHandledExactlyOnce() {
        List<Long> rowsBeforeCommit = bookings.book("committed");

        assertThat(rowsBeforeCommit).as("the outbox row, seen on JPA's connection just before the commit")
                .containsExactly(1L);
        awaitOutboxEmpty();
        assertThat(handled.of("committed")).as("handled once, and the handler found the entity")
                .containsExactly(true);
    }

    @Test
    void aRolledBackTransactionLeavesNeitherEntityNorRowNorMessage() {
        assertThatThrownBy(() -> bookings.bookThenFail("rolled-back")).hasMessageContaining("rolls back");

        assertThat(outboxRows.count()).isZero();
        bookings.book("marker");
        await().atMost(WAIT).until(() -> handled.of("marker").size() == 1);
        awaitOutboxEmpty();
        assertThat(handled.of("rolled-back")).isEmpty();
        assertThat(repository.existsById("rolled-back")).isFalse();
    }

    private void awaitOutboxEmpty() {
        outboxRows.awaitEmpty(outbox, WAIT);
    }

    /** Application code: saves a booking through the repository and announces it, in one transaction. */
    public static class Bookings {

        private final BookingRepository repository;
        private final IMessageBus bus;
        private final OutboxRows outboxRows;

        public Bookings(BookingRepository repository, IMessageBus bus, OutboxRows outboxRows) {
            this.repository = repository;
            this.bus = bus;
            this.outboxRows = outboxRows;
        }

        @Transactional
        public List<Long> book(String id) {
            // Counted through the DataSource: on the JDBC connection JPA exposes for its transaction.
            List<Long> seen = outboxRows.countBeforeCommit();
            repository.save(new Booking(id));
            bus.publish(new BookingMade(id));
            return seen;
        }

        @Transactional
        public void bookThenFail(String id) {
            repository.save(new Booking(id));
            bus.publish(new BookingMade(id));
            repository.flush();
            throw new IllegalStateException("rolls back " + id);
        }
    }

    /** Records whether the booking could be read when its message was handled. */
    public static class BookingHandler {

        public void handle(BookingMade made, BookingRepository repository, Handled handled) {
            handled.add(made.id(), repository.existsById(made.id()));
        }
    }

    /** What the handler saw, shared between handler and test: per booking, whether it found the entity. */
    public static class Handled extends SeenById<Boolean> {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        OutboxRows outboxRows(JdbcClient jdbc) {
            return new OutboxRows(jdbc);
        }

        @Bean
        Bookings bookings(BookingRepository repository, IMessageBus bus, OutboxRows outboxRows) {
            return new Bookings(repository, bus, outboxRows);
        }

        @Bean
        Handled handled() {
            return new Handled();
        }
    }
}
