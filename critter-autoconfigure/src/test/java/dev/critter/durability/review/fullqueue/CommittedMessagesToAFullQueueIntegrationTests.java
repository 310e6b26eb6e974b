package dev.critter.durability.review.fullqueue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.IMessageBus;
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
 * A transaction publishes many messages to an in-memory local queue that is full: once it
 * committed, the outbox rows hold them, so the committing thread must not wait the publish
 * timeout once per message (a hundred messages, fifty minutes at the default 30 s) before it
 * returns; the first refusal leaves the destination's other messages to the relay.
 */
class CommittedMessagesToAFullQueueIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 12;

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final Map<Integer, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(CommittedMessagesToAFullQueueIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Slow(int n) { }

    public static class SlowHandler {
        public void handle(Slow slow) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            HANDLED.computeIfAbsent(slow.n(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void aCommittedTransactionWaitsForAFullQueueOnceNotOncePerMessage() {
        gate = new CountDownLatch(1);
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + CommittedMessagesToAFullQueueIntegrationTests.class.getPackageName(),
                "critter.local.queues.slow.parallelism=1", "critter.local.queues.slow.capacity=1",
                "critter.local.publish-timeout=2s", "critter.durability.poll-interval=200ms")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            TransactionTemplate transaction = new TransactionTemplate(
                    new JdbcTransactionManager(app.getBean(javax.sql.DataSource.class)));
            long started = System.nanoTime();
            transaction.executeWithoutResult(status -> {
                for (int n = 0; n < MESSAGES; n++) {
                    bus.publish(new Slow(n));
                }
            });
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            gate.countDown();

            await().atMost(WAIT).until(() -> HANDLED.size() == MESSAGES && rows.count(OUTGOING) == 0);
            assertThat(HANDLED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
            // One publish timeout (2 s) for the first refusal; once per message would be 20 s.
            assertThat(waited).as("time the committing thread spent after its commit").isLessThan(Duration.ofSeconds(10));
        }
    }
}
