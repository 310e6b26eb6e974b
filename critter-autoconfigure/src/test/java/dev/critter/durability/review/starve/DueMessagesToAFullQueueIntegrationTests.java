package dev.critter.durability.review.starve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled messages due for a full local queue: the poller never waits for room (it shares the
 * node's background threads with the heartbeat), and a full queue is back-pressure, not a
 * refusal: the rows stay due, unowned, and each message is handled exactly once when room
 * appears; nothing is dead-lettered, dropped or delivered twice. Room wakes the poller: it does
 * not wait for its next regular poll.
 */
class DueMessagesToAFullQueueIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final Map<Integer, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(DueMessagesToAFullQueueIntegrationTests.class);

    public record Held(int n) { }

    public static class HeldHandler {
        public void handle(Held held) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            HANDLED.computeIfAbsent(held.n(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @BeforeEach
    void reset() {
        HANDLED.clear();
        gate = new CountDownLatch(1);
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void dueMessagesForAFullQueueWaitDueUnownedAndAreEachHandledOnceWithoutDeadLetters() {
        int messages = 10;
        try (ConfigurableApplicationContext app = start("critter.durability.poll-interval=200ms")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            for (int n = 0; n < messages; n++) {
                bus.schedule(new Held(n), Duration.ofMillis(100));
            }
            // One held by the handler, one queued (capacity 1): the others wait in the table, due and
            // unowned (the default 30 s publish timeout would have kept them claimed by a waiting poller).
            await().atMost(WAIT).until(() -> rows("owner_node_id IS NULL AND due_at <= now()") == messages - 2
                    && rows("true") == messages - 2);
            assertThat(app.getBean(DeadLetters.class).list()).as("dead letters while full").isEmpty();

            gate.countDown();
            await().atMost(WAIT).until(() -> HANDLED.size() == messages && rows("true") == 0);
            assertThat(HANDLED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
            assertThat(app.getBean(DeadLetters.class).list()).as("dead letters").isEmpty();
        }
    }

    @Test
    void roomAtTheQueueWakesThePollerWithoutWaitingForItsNextPoll() {
        int messages = 20;
        gate.countDown(); // quick handlers: the queue frees room again and again
        // A poller that waited for its next regular poll for each message would need 20 polls of 10 minutes.
        try (ConfigurableApplicationContext app = start("critter.durability.poll-interval=10m")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            for (int n = 0; n < messages; n++) {
                bus.schedule(new Held(n), Duration.ofMillis(200));
            }
            await().atMost(WAIT).until(() -> HANDLED.size() == messages && rows("true") == 0);
            assertThat(HANDLED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
            assertThat(app.getBean(DeadLetters.class).list()).as("dead letters").isEmpty();
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        String[] base = {"critter.handlers.base-packages=" + DueMessagesToAFullQueueIntegrationTests.class.getPackageName(),
                "critter.local.queues.held.parallelism=1", "critter.local.queues.held.capacity=1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return DurableApps.start(database, all);
    }

    private int rows(String where) {
        return JdbcClient.create(database.dataSource())
                .sql("SELECT count(*) FROM critter.critter_scheduled_envelopes WHERE " + where)
                .query(Integer.class).single();
    }
}
