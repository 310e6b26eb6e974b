package dev.critter.transaction.jpa;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.critter.IMessageBus;
import dev.critter.support.SeenById;
import dev.critter.support.WithTestPostgres;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishing from a {@code @Transactional} method that saves an entity through a Spring Data JPA
 * repository (Hibernate, {@link JpaTransactionManager}), against real PostgreSQL. Hibernate
 * flushes the insert only at commit, so a handler that finds the entity ran after the commit.
 */
@SpringBootTest(classes = JpaTransactionIntegrationTests.App.class, properties = {
        "spring.jpa.hibernate.ddl-auto=create",
        "spring.jpa.open-in-view=false",
        "critter.shutdown-timeout=5s",
        "critter.local.queues.customer-registered.sequential=true"})
@WithTestPostgres
@DirtiesContext
class JpaTransactionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public record CustomerRegistered(String id) { }

    @Autowired Registrations registrations;
    @Autowired CustomerRepository customers;
    @Autowired Handled handled;
    @Autowired IMessageBus bus;
    @Autowired MessageTracking tracking;
    @Autowired PlatformTransactionManager transactionManager;

    @Test
    void theApplicationUsesTheJpaTransactionManager() {
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
    }

    @Test
    void aMessagePublishedWithACommittedEntityIsHandledOnceAfterTheCommit() {
        TrackedSession session = tracking.executeAndWait(() -> registrations.register("committed"));

        assertThat(session.executed().messagesOf(CustomerRegistered.class))
                .containsExactly(new CustomerRegistered("committed"));
        assertThat(handled.of("committed")).as("handled once, and the handler found the entity")
                .containsExactly(true);
    }

    @Test
    void aMessagePublishedWithAnEntityIsHeldUntilTheCommit() {
        // The queue is sequential: had "held" been sent when published, it would be handled before
        // the probe published afterwards from another thread.
        registrations.registerWhile("held", () -> {
            CompletableFuture.runAsync(() -> bus.publish(new CustomerRegistered("probe"))).join();
            await().atMost(WAIT).until(() -> handled.times("probe") == 1);
            assertThat(handled.times("held")).as("handled before the commit").isZero();
        });

        await().atMost(WAIT).until(() -> handled.times("held") == 1);
        assertThat(handled.of("held")).containsExactly(true);
    }

    @Test
    void aMessagePublishedWithAnEntityThatRollsBackIsNeverHandled() {
        TrackedSession session = tracking.allowingFailures()
                .executeAndWait(() -> registrations.registerThenFail("rolled-back"));
        assertThat(session.sent().isEmpty()).as("sent: " + session).isTrue();

        // Same sequential queue: once the marker is handled, anything sent before it was handled too.
        tracking.publishAndWait(new CustomerRegistered("marker-after-rollback"));
        assertThat(handled.times("marker-after-rollback")).isOne();
        assertThat(handled.times("rolled-back")).isZero();
        assertThat(customers.existsById("rolled-back")).isFalse();
    }

    /** Application code: saves a customer and announces it, in one transaction. */
    public static class Registrations {

        private final CustomerRepository customers;
        private final IMessageBus bus;

        public Registrations(CustomerRepository customers, IMessageBus bus) {
            this.customers = customers;
            this.bus = bus;
        }

        @Transactional
        public void register(String id) {
            customers.save(new Customer(id));
            bus.publish(new CustomerRegistered(id));
        }

        @Transactional
        public void registerWhile(String id, Runnable meanwhile) {
            register(id);
            meanwhile.run();
        }

        @Transactional
        public void registerThenFail(String id) {
            register(id);
            throw new IllegalStateException("rolls back " + id);
        }
    }

    /** Records whether the registered customer could be read when its message was handled. */
    public static class CustomerHandler {

        public void handle(CustomerRegistered registered, CustomerRepository customers, Handled handled) {
            handled.add(registered.id(), customers.existsById(registered.id()));
        }
    }

    /** What the handler saw, shared between handler and test: per customer, whether it found the entity. */
    public static class Handled extends SeenById<Boolean> {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Registrations registrations(CustomerRepository customers, IMessageBus bus) {
            return new Registrations(customers, bus);
        }

        @Bean
        Handled handled() {
            return new Handled();
        }
    }
}
