package dev.critter.durability.outbox.jpa;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.IMessageBus;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.support.TestPostgres;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
@DirtiesContext
class JpaOutboxIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public record BookingMade(String id) { }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.newDatabase(JpaOutboxIntegrationTests.class).register(registry);
    }

    @Autowired Bookings bookings;
    @Autowired BookingRepository repository;
    @Autowired Handled handled;
    @Autowired JdbcClient jdbc;
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
        assertThat(handled.sightings("committed")).as("handled once, and the handler found the entity")
                .containsExactly(true);
    }

    @Test
    void aRolledBackTransactionLeavesNeitherEntityNorRowNorMessage() {
        assertThatThrownBy(() -> bookings.bookThenFail("rolled-back")).hasMessageContaining("rolls back");

        assertThat(outboxRows()).isZero();
        bookings.book("marker");
        await().atMost(WAIT).until(() -> handled.sightings("marker").size() == 1);
        awaitOutboxEmpty();
        assertThat(handled.sightings("rolled-back")).isEmpty();
        assertThat(repository.existsById("rolled-back")).isFalse();
    }

    private void awaitOutboxEmpty() {
        await().atMost(WAIT).until(() -> outboxRows() == 0 && ((JdbcOutbox) outbox).inFlight() == 0);
    }

    private long outboxRows() {
        return jdbc.sql("SELECT count(*) FROM critter.critter_outgoing_envelopes").query(Long.class).single();
    }

    /** Application code: saves a booking through the repository and announces it, in one transaction. */
    public static class Bookings {

        private final BookingRepository repository;
        private final IMessageBus bus;
        private final JdbcClient jdbc;

        public Bookings(BookingRepository repository, IMessageBus bus, JdbcClient jdbc) {
            this.repository = repository;
            this.bus = bus;
            this.jdbc = jdbc;
        }

        @Transactional
        public List<Long> book(String id) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCompletion() {
                    seen.add(jdbc.sql("SELECT count(*) FROM critter.critter_outgoing_envelopes")
                            .query(Long.class).single());
                }
            });
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
            handled.saw(made.id(), repository.existsById(made.id()));
        }
    }

    /** What the handler saw, shared between handler and test. */
    public static class Handled {

        private final Map<String, List<Boolean>> sightings = new ConcurrentHashMap<>();

        void saw(String id, boolean entityVisible) {
            sightings.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(entityVisible);
        }

        List<Boolean> sightings(String id) {
            return sightings.getOrDefault(id, List.of());
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Bookings bookings(BookingRepository repository, IMessageBus bus, JdbcClient jdbc) {
            return new Bookings(repository, bus, jdbc);
        }

        @Bean
        Handled handled() {
            return new Handled();
        }
    }
}
