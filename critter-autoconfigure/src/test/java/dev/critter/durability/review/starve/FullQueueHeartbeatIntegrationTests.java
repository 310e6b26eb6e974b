package dev.critter.durability.review.starve;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled messages that become due while their local queue is full: the poller hands them to the
 * queue from a background thread. It must not wait there for room for longer than the node's lease,
 * for the node's heartbeat runs on the same few threads; a node whose heartbeat stops is presumed
 * dead and its rows are taken over by live nodes (messages handled twice).
 */
class FullQueueHeartbeatIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static volatile CountDownLatch gate = new CountDownLatch(1);

    private final TestDatabase database = TestPostgres.newDatabase(FullQueueHeartbeatIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Slow(int n) { }

    public static class SlowHandler {
        public void handle(Slow slow) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void theHeartbeatKeepsUpWhileDueMessagesWaitForRoomInAFullQueue() {
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + FullQueueHeartbeatIntegrationTests.class.getPackageName(),
                "critter.local.queues.slow.parallelism=1", "critter.local.queues.slow.capacity=1",
                "critter.local.publish-timeout=6s", "critter.durability.background-connections=1",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=250ms",
                "critter.durability.node-lease=2s")) {
            gate = new CountDownLatch(1);
            String node = app.getBean(DurabilityNode.class).id().toString();
            IMessageBus bus = app.getBean(IMessageBus.class);
            for (int n = 0; n < 4; n++) {
                bus.schedule(new Slow(n), Duration.ofMillis(100));
            }
            // One handled (held at the gate), one queued, the rest wait due in the table: the poller
            // finds the queue full and gives them back at once. Watched until they have been due for
            // longer than the lease (by the database's clock), or until the heartbeat falls behind.
            double[] oldest = {0};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                Double age = rows.jdbc().sql("SELECT extract(epoch FROM now() - heartbeat_at)::float8 FROM critter.critter_nodes "
                        + "WHERE node_id = ?::uuid").param(node).query(Double.class).optional().orElse(Double.MAX_VALUE);
                oldest[0] = Math.max(oldest[0], age);
                Double dueFor = rows.jdbc().sql("SELECT extract(epoch FROM now() - min(due_at))::float8 "
                        + "FROM critter.critter_scheduled_envelopes").query(Double.class).optional().orElse(null);
                return oldest[0] > 2.0 || dueFor != null && dueFor > 3.0;
            });
            assertThat(rows.count(SCHEDULED)).as("due messages still wait for room").isPositive();
            assertThat(oldest[0]).as("seconds since this live node's last heartbeat (node-lease 2s)").isLessThan(2.0);
        }
    }
}
