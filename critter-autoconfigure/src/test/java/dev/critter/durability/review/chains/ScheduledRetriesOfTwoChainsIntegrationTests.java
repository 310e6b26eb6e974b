package dev.critter.durability.review.chains;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.support.DurableRows;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message with two handlers (two chains) on a durable local queue, each of whose first attempt
 * fails with a scheduled retry. Each chain's retry is an envelope with the message's id, naming its
 * chain; both must come back. Keyed by {@code (id, destination)} alone (schema version 1), the
 * scheduled table and the inbox held one row per message and queue, so the second chain's retry
 * replaced the first one's ({@code ON CONFLICT DO UPDATE}) and that handler never ran again; both
 * tables are keyed by chain too since version 2.
 */
class ScheduledRetriesOfTwoChainsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledRetriesOfTwoChainsIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private ConfigurableApplicationContext app;

    @BeforeEach
    void reset() {
        Seen.reset();
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * The audit handler (which runs first) retries later than the billing handler: its retry row
     * is written first, then replaced by billing's, which is due sooner, so the audit retry never
     * comes. Billing's retry is handled and both tables end empty; audit ran once, and failed.
     */
    @Test
    void eachChainsScheduledRetryComesBack() {
        app = start("review.audit-retry=3s", "review.billing-retry=100ms");

        app.getBean(IMessageBus.class).publish(new Invoiced("i-1"));

        await().atMost(WAIT).until(() -> Seen.handled(Seen.billing, "i-1") == 1 && rows.count(SCHEDULED) == 0
                && rows.count(INCOMING) == 0);
        assertThat(Seen.attempts(Seen.audit, "i-1")).as("audit's retry ran: its first attempt failed").isEqualTo(2);
        assertThat(Seen.handled(Seen.audit, "i-1")).as("audit handled on its retry").isOne();
        assertThat(Seen.handled(Seen.billing, "i-1")).as("billing handled on its retry").isOne();
    }

    /** Both chains retry after the same delay: both retries reach the queue at about the same moment. */
    @Test
    void twoChainsRetryingAtOnceAreBothHandled() {
        app = start("review.audit-retry=200ms", "review.billing-retry=200ms");

        app.getBean(IMessageBus.class).publish(new Invoiced("i-2"));

        await().atMost(WAIT).until(() -> Seen.handled(Seen.audit, "i-2") + Seen.handled(Seen.billing, "i-2") >= 1
                && rows.count(SCHEDULED) == 0 && rows.count(INCOMING) == 0);
        assertThat(Seen.handled(Seen.audit, "i-2")).as("audit handled on its retry").isOne();
        assertThat(Seen.handled(Seen.billing, "i-2")).as("billing handled on its retry").isOne();
    }

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(database.springProperties())
                .properties("critter.handlers.base-packages=" + getClass().getPackageName(),
                        "critter.local.queues.invoiced.durable=true", "critter.durability.poll-interval=200ms",
                        "spring.main.banner-mode=off", "spring.application.name=review", "critter.shutdown-timeout=5s")
                .properties(properties).run();
    }

    @JdbcTestApplication
    static class App {

        /** Each handler's failed first attempt is delivered again through the scheduler, after its own delay. */
        @Bean
        CritterConfigurer retries(@Value("${review.audit-retry}") Duration audit,
                                  @Value("${review.billing-retry}") Duration billing) {
            return o -> {
                o.forMessage(Invoiced.class).onException(AuditFails.class).scheduleRetry(audit);
                o.forMessage(Invoiced.class).onException(BillingFails.class).scheduleRetry(billing);
            };
        }
    }

    /** Handled on the durable queue {@code invoiced} by two handlers, each its own chain. */
    public record Invoiced(String id) {
    }

    static final class AuditFails extends RuntimeException {
        AuditFails(String message) {
            super(message);
        }
    }

    static final class BillingFails extends RuntimeException {
        BillingFails(String message) {
            super(message);
        }
    }

    /** Runs first (chains run in handler class order): fails its first attempt. */
    public static class AuditHandler {
        public void handle(Invoiced invoiced) {
            if (Seen.attempt(Seen.audit, invoiced.id()) == 1) {
                throw new AuditFails("first audit of " + invoiced.id() + " fails");
            }
            Seen.handled(Seen.audit, invoiced.id(), true);
        }
    }

    /** Runs second: fails its first attempt. */
    public static class BillingHandler {
        public void handle(Invoiced invoiced) {
            if (Seen.attempt(Seen.billing, invoiced.id()) == 1) {
                throw new BillingFails("first billing of " + invoiced.id() + " fails");
            }
            Seen.handled(Seen.billing, invoiced.id(), true);
        }
    }

    /** What each handler saw, per message id. */
    static final class Seen {
        static final Map<String, AtomicInteger> audit = new ConcurrentHashMap<>();
        static final Map<String, AtomicInteger> billing = new ConcurrentHashMap<>();
        static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

        static int attempt(Map<String, AtomicInteger> seen, String id) {
            return seen.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        static int attempts(Map<String, AtomicInteger> seen, String id) {
            AtomicInteger n = seen.get(id);
            return n == null ? 0 : n.get();
        }

        static void handled(Map<String, AtomicInteger> seen, String id, boolean now) {
            handled.computeIfAbsent(key(seen, id), k -> new AtomicInteger()).incrementAndGet();
        }

        static int handled(Map<String, AtomicInteger> seen, String id) {
            AtomicInteger n = handled.get(key(seen, id));
            return n == null ? 0 : n.get();
        }

        private static String key(Map<String, AtomicInteger> seen, String id) {
            return (seen == audit ? "audit:" : "billing:") + id;
        }

        static void reset() {
            audit.clear();
            billing.clear();
            handled.clear();
        }
    }
}
