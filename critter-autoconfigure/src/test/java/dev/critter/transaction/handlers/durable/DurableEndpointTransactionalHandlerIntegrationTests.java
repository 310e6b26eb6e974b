package dev.critter.transaction.handlers.durable;

import java.time.Duration;

import dev.critter.CritterConfigurer;
import dev.critter.Envelope;
import dev.critter.MessageContext;
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
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transactional handler fed by a {@link dev.critter.transport.DurableEndpoint}: Critter marks the
 * envelope handled in the handler's transaction before the handler runs, so the mark and the
 * handler's work commit together; a redelivery of an envelope already handled is skipped.
 */
@SpringBootTest(classes = DurableEndpointTransactionalHandlerIntegrationTests.App.class, properties = {
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:dev/critter/transaction/handlers/durable/schema.sql",
        "critter.shutdown-timeout=5s"})
@WithTestPostgres
@DirtiesContext
class DurableEndpointTransactionalHandlerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String CHAIN = DepositHandler.class.getName() + "#handle(" + Deposit.class.getName() + ", "
            + JdbcTemplate.class.getName() + ", " + Envelope.class.getName() + ", " + MessageContext.class.getName()
            + ", " + Calls.class.getName() + ")";

    public record Deposit(String id, int amount, boolean failFirst) { }
    public record CheckBalance(String id) { }

    @Autowired MessageTracking tracking;
    @Autowired TableBackedTransport transport;
    @Autowired JdbcTemplate jdbc;
    @Autowired Calls calls;

    @Test
    void theEnvelopeIsMarkedHandledInTheHandlersTransactionBeforeTheHandlerRuns() {
        tracking.publishAndWait(new Deposit("marked", 10, false));

        Envelope envelope = delivered("marked");
        assertThat(calls.of("marked")).as("the handler saw its own envelope's mark, in its transaction")
                .containsExactly(1);
        assertThat(transport.endpoint().marks()).contains(envelope.id() + " in "
                + "DepositHandler.handle(Deposit, JdbcTemplate, Envelope, MessageContext, Calls): marked");
        assertThat(jdbc.queryForList("SELECT chain_id FROM test_handled WHERE message_id = ?", String.class,
                envelope.id())).containsExactly(CHAIN);
        assertThat(deposits("marked")).isOne();
    }

    @Test
    void aRedeliveredEnvelopeWhoseHandlerCommittedIsNotHandledAgain() {
        tracking.publishAndWait(new Deposit("once", 10, false));
        Envelope envelope = delivered("once");
        String alreadyHandled = envelope.id() + " in DepositHandler.handle(Deposit, JdbcTemplate, Envelope, "
                + "MessageContext, Calls): already handled";

        // Waits for the redelivery's own mark: the worker counts a delivery finished only after the
        // tracking session saw it end, so a count read right after the session can be one short.
        transport.endpoint().redeliver(envelope);
        await().atMost(WAIT).until(() -> transport.endpoint().marks().contains(alreadyHandled));

        assertThat(calls.of("once")).as("the handler ran once").hasSize(1);
        assertThat(deposits("once")).isOne();
        assertThat(transport.endpoint().marks()).containsSubsequence(
                envelope.id() + " in DepositHandler.handle(Deposit, JdbcTemplate, Envelope, MessageContext, Calls): marked",
                envelope.id() + " in DepositHandler.handle(Deposit, JdbcTemplate, Envelope, MessageContext, Calls): "
                        + "already handled");
    }

    @Test
    void aRolledBackAttemptTakesItsMarkWithItAndTheRetryHandlesTheMessage() {
        tracking.publishAndWait(new Deposit("retried", 5, true));

        Envelope envelope = delivered("retried");
        assertThat(calls.of("retried")).as("each attempt saw only its own mark").containsExactly(1, 1);
        assertThat(transport.endpoint().marks()).filteredOn(mark -> mark.startsWith(envelope.id().toString()))
                .allMatch(mark -> mark.endsWith(": marked")).hasSize(2);
        assertThat(deposits("retried")).as("the first attempt's row was rolled back").isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM test_handled WHERE message_id = ?", Integer.class,
                envelope.id())).isOne();
    }

    @Test
    void aReadOnlyHandlerRunsWithoutTheMarkItsTransactionCannotWrite() {
        TrackedSession session = tracking.publishAndWait(new CheckBalance("read-only"));

        assertThat(calls.of("read-only")).as("the handler ran once, in a read-only transaction without a mark")
                .containsExactly(0);
        assertThat(session.deadLettered().messagesOf(CheckBalance.class)).isEmpty();
    }

    private Envelope delivered(String id) {
        return transport.endpoint().delivered().stream()
                .filter(envelope -> envelope.message() instanceof Deposit deposit && deposit.id().equals(id))
                .findFirst().orElseThrow();
    }

    private int deposits(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM deposit WHERE id = ?", Integer.class, id);
    }

    public static class DepositHandler {

        public void handle(Deposit deposit, JdbcTemplate jdbc, Envelope envelope, MessageContext context, Calls calls) {
            calls.add(deposit.id(), jdbc.queryForObject("SELECT count(*) FROM test_handled WHERE message_id = ?",
                    Integer.class, envelope.id()));
            jdbc.update("INSERT INTO deposit (id, amount) VALUES (?, ?)", deposit.id(), deposit.amount());
            if (deposit.failFirst() && context.attempts() == 1) {
                throw new IllegalStateException("first attempt of " + deposit.id() + " fails");
            }
        }
    }

    public static class BalanceHandler {

        @Transactional(readOnly = true)
        public void handle(CheckBalance check, JdbcTemplate jdbc, Envelope envelope, Calls calls) {
            calls.add(check.id(), jdbc.queryForObject("SELECT count(*) FROM test_handled WHERE message_id = ?",
                    Integer.class, envelope.id()));
        }
    }

    /** What each attempt saw: how many handled marks of its envelope its transaction holds. */
    public static class Calls extends SeenById<Integer> {
    }

    @JdbcTestApplication
    static class App {

        /** Ahead of the local queues, so deposits go to the table-backed endpoint by convention. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        TableBackedTransport tableBackedTransport(JdbcTemplate jdbc) {
            return new TableBackedTransport(jdbc, Deposit.class, CheckBalance.class);
        }

        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        CritterConfigurer retryOnce() {
            return options -> options.forMessage(Deposit.class).onException(IllegalStateException.class).retryTimes(1);
        }
    }
}
