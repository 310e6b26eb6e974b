package dev.critter.durability.review.shutdown;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler of a durable queue still running when the shutdown timeout ran out: its row used to
 * be released at the clean stop, so another node handled the message while it still ran here (a
 * duplicate). It now stays owned by the stopping node, whose node row stays too; live nodes take
 * it over a lease after the node's last heartbeat, as from a crashed node.
 */
class HandlerPastShutdownTimeoutIntegrationTests {

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final AtomicInteger STARTED = new AtomicInteger();

    private static final String[] FAST = {"critter.shutdown-timeout=1s", "critter.durability.node-heartbeat=250ms",
            "critter.durability.node-lease=2s", "critter.durability.poll-interval=200ms"};

    private final TestDatabase database = TestPostgres.newDatabase(HandlerPastShutdownTimeoutIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Slow(int n) { }

    /** Stuck where an interrupt does not reach it (blocking I/O, say): Critter's interrupt at the timeout does not end it. */
    public static class SlowHandler {
        public void handle(Slow slow) {
            STARTED.incrementAndGet();
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (gate.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    gate.await(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Durable {
        @Bean
        CritterConfigurer durableQueues() {
            return o -> o.policies().useDurableLocalQueues();
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void theRowOfAMessageStillBeingHandledStaysOwnedAndIsTakenOverOnlyAfterTheLease() {
        gate = new CountDownLatch(1);
        STARTED.set(0);
        ConfigurableApplicationContext first = start();
        UUID firstNode = first.getBean(DurabilityNode.class).id();
        first.getBean(IMessageBus.class).publish(new Slow(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.get() == 1);

        first.close(); // waits critter.shutdown-timeout=1s, then stops with the handler still running

        assertThat(owners()).as("the row of the message still being handled").containsExactly(firstNode.toString());
        assertThat(rows.jdbc().sql("SELECT count(*) FROM critter.critter_nodes WHERE node_id = ?").param(firstNode)
                .query(Long.class).single()).as("the stopping node's row, recovered after its lease").isOne();

        gate.countDown(); // the first handler ends (its process would have exited)
        try (ConfigurableApplicationContext second = start()) {
            // Recovered a lease after the first node's last heartbeat, then claimed and handled.
            await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.get() == 2 && owners().isEmpty()
                    && rows.count(INCOMING, "status", "queued") == 0);
            assertThat(second.isRunning()).isTrue();
        }
    }

    private ConfigurableApplicationContext start() {
        String[] properties = new String[FAST.length + 1];
        System.arraycopy(FAST, 0, properties, 0, FAST.length);
        properties[FAST.length] = "critter.handlers.base-packages=" + getClass().getPackageName();
        return DurableApps.start(database, new Class<?>[] {Durable.class}, properties);
    }

    private List<String> owners() {
        return rows.jdbc().sql("SELECT coalesce(owner_node_id::text, 'none') FROM critter.critter_incoming_envelopes "
                + "WHERE status = 'queued'").query(String.class).list();
    }
}
