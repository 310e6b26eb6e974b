package dev.critter.durability.review.starve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.critter.support.DurableRows.Table.OUTGOING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbox rows whose local queue is full: the relay sends them from a background thread, with the
 * heartbeat. It must not wait there for room (the publish timeout is longer than the lease), or
 * the node is presumed dead and live nodes take its rows over. The rows stay in the outbox while
 * the queue is full and are each handled once when it has room.
 */
class RelayToAFullQueueHeartbeatIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 6;

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final Map<Integer, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(RelayToAFullQueueHeartbeatIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Relayed(int n) { }

    public static class RelayedHandler {
        public void handle(Relayed relayed) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            HANDLED.computeIfAbsent(relayed.n(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void theHeartbeatKeepsUpWhileTheRelayMeetsAFullQueue() {
        gate = new CountDownLatch(1);
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + RelayToAFullQueueHeartbeatIntegrationTests.class.getPackageName(),
                "critter.local.queues.relayed.parallelism=1", "critter.local.queues.relayed.capacity=1",
                "critter.local.publish-timeout=6s", "critter.durability.background-connections=1",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=250ms",
                "critter.durability.node-lease=2s")) {
            String node = app.getBean(DurabilityNode.class).id().toString();
            IMessageBus bus = app.getBean(IMessageBus.class);
            // After the commit, one is handled (held), one queued, the next waits once on this
            // thread for the publish timeout: the rest are left to the relay.
            new TransactionTemplate(new JdbcTransactionManager(app.getBean(DataSource.class))).executeWithoutResult(
                    status -> {
                        for (int n = 0; n < MESSAGES; n++) {
                            bus.publish(new Relayed(n));
                        }
                    });
            assertThat(rows.count(OUTGOING)).as("rows left to the relay").isPositive();

            // Watch the heartbeat across several leases while the relay keeps meeting the full queue.
            double[] oldest = {0};
            double[] first = {-1};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                double beat = rows.jdbc().sql("SELECT extract(epoch FROM heartbeat_at)::float8 FROM critter.critter_nodes "
                        + "WHERE node_id = ?::uuid").param(node).query(Double.class).single();
                double age = rows.jdbc().sql("SELECT extract(epoch FROM now())::float8").query(Double.class).single() - beat;
                oldest[0] = Math.max(oldest[0], age);
                if (first[0] < 0) {
                    first[0] = beat;
                }
                return oldest[0] > 2.0 || beat - first[0] > 6.0;
            });
            assertThat(oldest[0]).as("seconds since this live node's last heartbeat (node-lease 2s)").isLessThan(2.0);
            assertThat(rows.count(OUTGOING)).as("rows still waiting for room").isPositive();

            gate.countDown();
            await().atMost(WAIT).until(() -> HANDLED.size() == MESSAGES && rows.count(OUTGOING) == 0);
            assertThat(HANDLED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
        }
    }
}
