package dev.critter.durability.review.chains;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableRows;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message with two handlers (chains) on a durable queue: the first fails and asks for a
 * scheduled retry, the second is slow. The retry comes back while the second chain still runs on
 * the first delivery. Keyed by {@code (id, destination)} alone (schema version 1), it took the
 * message's row over and, once handled, deleted it; the node then died with the slow chain
 * unfinished, nothing was left that a live node could take over, and the slow chain never ran to
 * its end. At-least-once says a live node runs it: the retry is a row of its own (keyed by chain).
 */
class RetryTakesOverARowStillBeingDeliveredIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(RetryTakesOverARowStillBeingDeliveredIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void reset() {
        Seen.reset();
    }

    @AfterEach
    void close() {
        Seen.gate.countDown();
        if (first != null) {
            rows.jdbc().sql("DROP TRIGGER IF EXISTS frozen_heartbeat ON critter.critter_nodes").update();
        }
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aChainStillRunningWhenItsNodeDiesRunsOnALiveNode() throws Exception {
        first = start();
        second = start();
        UUID dying = first.getBean(DurabilityNode.class).id();

        first.getBean(IMessageBus.class).publish(new Audited("a-1"));
        // The slow chain runs on the first node; the failed chain's retry was handled meanwhile.
        assertThat(Seen.slowStarted.await(60, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> Seen.retried.get() == 1);

        // The first node dies now, its slow chain unfinished: its heartbeat stops (frozen by a
        // trigger), and every deletion of a node row is noted.
        rows.jdbc().sql("CREATE TABLE critter.recovered (node_id uuid)").update();
        rows.jdbc().sql("""
                CREATE FUNCTION critter.freeze_heartbeat() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.heartbeat_at := OLD.heartbeat_at; RETURN NEW; END $$""").update();
        rows.jdbc().sql("CREATE TRIGGER frozen_heartbeat BEFORE UPDATE ON critter.critter_nodes FOR EACH ROW "
                + "WHEN (OLD.node_id = '" + dying + "') EXECUTE FUNCTION critter.freeze_heartbeat()").update();
        rows.jdbc().sql("""
                CREATE FUNCTION critter.note_recovery() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO critter.recovered VALUES (OLD.node_id); RETURN OLD; END $$""").update();
        rows.jdbc().sql("CREATE TRIGGER noted_recovery AFTER DELETE ON critter.critter_nodes FOR EACH ROW "
                + "EXECUTE FUNCTION critter.note_recovery()").update();

        // The live node recovered the dead one; whatever it released, it took and handled.
        await().atMost(WAIT).until(() -> Seen.slowHandled.get() == 1 || recovered(dying) && rows.count(INCOMING) == 0);
        assertThat(Seen.slowHandled.get()).as("the slow chain, unfinished on the node that died, ran on a live node "
                + "(inbox rows left: %d)", rows.count(INCOMING)).isOne();
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(database.springProperties())
                .properties("critter.handlers.base-packages=" + getClass().getPackageName(),
                        "critter.local.queues.audited.durable=true", "critter.local.queues.audited.parallelism=4",
                        "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                        "critter.durability.node-lease=2s", "spring.main.banner-mode=off",
                        "spring.application.name=review", "critter.shutdown-timeout=2s")
                .run();
    }

    private boolean recovered(UUID node) {
        return rows.jdbc().sql("SELECT count(*) FROM critter.recovered WHERE node_id = ?").param(node)
                .query(Integer.class).single() > 0;
    }

    @JdbcTestApplication
    static class App {

        @Bean
        CritterConfigurer retrySoon() {
            return o -> o.forMessage(Audited.class).onException(NotYet.class).scheduleRetry(Duration.ofMillis(100));
        }
    }

    /** Handled on the durable queue {@code audited} by two handlers, each its own chain. */
    public record Audited(String id) {
    }

    static final class NotYet extends RuntimeException {
        NotYet(String message) {
            super(message);
        }
    }

    /** Runs first (handler class order): its first attempt fails, its scheduled retry succeeds. */
    public static class AFailingOnceHandler {
        public void handle(Audited audited) {
            if (Seen.failingAttempts.incrementAndGet() == 1) {
                throw new NotYet("not yet: " + audited.id());
            }
            Seen.retried.incrementAndGet();
        }
    }

    /** Runs second: its first attempt never ends while the test runs (its node dies meanwhile). */
    public static class BSlowHandler {
        public void handle(Audited audited) throws InterruptedException {
            if (Seen.slowAttempts.incrementAndGet() == 1) {
                Seen.slowStarted.countDown();
                Seen.gate.await(60, TimeUnit.SECONDS);
                throw new IllegalStateException("the node of this attempt died long ago");
            }
            Seen.slowHandled.incrementAndGet();
        }
    }

    static final class Seen {
        static final AtomicInteger failingAttempts = new AtomicInteger();
        static final AtomicInteger retried = new AtomicInteger();
        static final AtomicInteger slowAttempts = new AtomicInteger();
        static final AtomicInteger slowHandled = new AtomicInteger();
        static volatile CountDownLatch slowStarted = new CountDownLatch(1);
        static volatile CountDownLatch gate = new CountDownLatch(1);

        static void reset() {
            failingAttempts.set(0);
            retried.set(0);
            slowAttempts.set(0);
            slowHandled.set(0);
            slowStarted = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }
    }
}
