package dev.critter.transaction.handlers.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.critter.CritterConfigurer;
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

/**
 * Transactional handlers on Spring Data JPA (Hibernate, {@link JpaTransactionManager}), against
 * real PostgreSQL: an entity saved through a repository and the handler's cascades commit
 * together, or neither does.
 */
@SpringBootTest(classes = JpaTransactionalHandlerIntegrationTests.App.class, properties = {
        "spring.jpa.hibernate.ddl-auto=create",
        "spring.jpa.open-in-view=false",
        "critter.shutdown-timeout=5s"})
@WithTestPostgres
@DirtiesContext
class JpaTransactionalHandlerIntegrationTests {

    public record IssueInvoice(String id, boolean fail) { }
    public record InvoiceIssued(String id) { }
    public record CountInvoices(String id) { }

    @Autowired MessageTracking tracking;
    @Autowired InvoiceRepository invoices;
    @Autowired Seen seen;
    @Autowired PlatformTransactionManager transactionManager;

    @Test
    void theApplicationUsesTheJpaTransactionManager() {
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
    }

    @Test
    void anEntitySavedThroughARepositoryAndTheHandlersCascadeCommitTogether() {
        TrackedSession session = tracking.publishAndWait(new IssueInvoice("issued", false));

        assertThat(session.executed().messagesOf(InvoiceIssued.class)).containsExactly(new InvoiceIssued("issued"));
        assertThat(invoices.existsById("issued")).isTrue();
        assertThat(seen.of("issued")).as("the cascade's handler found the committed entity").containsExactly(true);
    }

    @Test
    void aHandlerThatThrowsAfterSavingLeavesNoEntityAndSendsNoCascade() {
        TrackedSession session = tracking.allowingFailures().publishAndWait(new IssueInvoice("fails", true));

        assertThat(session.deadLettered().messagesOf(IssueInvoice.class)).hasSize(1);
        assertThat(session.sent().messagesOf(InvoiceIssued.class)).isEmpty();
        assertThat(invoices.existsById("fails")).isFalse();
        assertThat(seen.of("fails")).isEmpty();
    }

    @Test
    void aConnectionParameterIsTheJpaTransactionsConnection() {
        tracking.publishAndWait(new CountInvoices("counted"));

        assertThat(seen.counts.of("counted")).as("the flushed, uncommitted entity, seen through the connection")
                .containsExactly(1);
        assertThat(invoices.existsById("counted")).isTrue();
    }

    public static class InvoiceHandler {

        @Transactional
        public InvoiceIssued handle(IssueInvoice issue, InvoiceRepository invoices) {
            invoices.save(new Invoice(issue.id()));
            if (issue.fail()) {
                throw new IllegalStateException("fails after saving " + issue.id());
            }
            return new InvoiceIssued(issue.id());
        }

        @Transactional(readOnly = true)
        public void handle(InvoiceIssued issued, InvoiceRepository invoices, Seen seen) {
            seen.add(issued.id(), invoices.existsById(issued.id()));
        }

        public void handle(CountInvoices count, InvoiceRepository invoices, Connection connection, Seen seen)
                throws SQLException {
            invoices.saveAndFlush(new Invoice(count.id()));
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM invoice WHERE id = ?")) {
                select.setString(1, count.id());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    seen.counts.add(count.id(), rows.getInt(1));
                }
            }
        }
    }

    /** What the handlers saw, by message id: whether the cascade's handler found the entity. */
    public static class Seen extends SeenById<Boolean> {

        /** Per message, the invoices its handler counted through the connection. */
        final SeenById<Integer> counts = new SeenById<>();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Seen seen() {
            return new Seen();
        }

        @Bean
        CritterConfigurer deadLetterAtOnce() {
            return options -> options.onException(IllegalStateException.class).moveToDeadLetterQueue();
        }
    }
}
