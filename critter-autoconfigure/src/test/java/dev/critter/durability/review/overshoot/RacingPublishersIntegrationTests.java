package dev.critter.durability.review.overshoot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.IMessageBus;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalTransport;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outside publishers racing for the last room of a durable local queue: each reserves its place
 * before its row is stored, so exactly as many as there is room for get in and the others wait;
 * none is admitted above capacity (which only handlers' sends may be).
 */
class RacingPublishersIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CAPACITY = 4;
    private static final int PUBLISHERS = 16;

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final Map<Integer, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(RacingPublishersIntegrationTests.class);

    public record Raced(int n) { }

    public static class RacedHandler {
        public void handle(Raced raced) throws InterruptedException {
            ENTERED.countDown();
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            HANDLED.computeIfAbsent(raced.n(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void publishersRacingForTheLastRoomNeverOvershootTheCapacity() throws Exception {
        gate = new CountDownLatch(1);
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        try (ConfigurableApplicationContext app = DurableApps.start(database,
                "critter.handlers.base-packages=" + RacingPublishersIntegrationTests.class.getPackageName(),
                "critter.local.queues.raced.durable=true", "critter.local.queues.raced.parallelism=1",
                "critter.local.queues.raced.capacity=" + CAPACITY, "critter.local.publish-timeout=120s",
                "spring.datasource.hikari.maximum-pool-size=8")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            LocalQueue queue = app.getBean(LocalTransport.class).queues().stream()
                    .filter(q -> q.settings().name().equals("raced")).findFirst().orElseThrow();
            bus.publish(new Raced(0));
            assertThat(ENTERED.await(60, TimeUnit.SECONDS)).as("the first message reached its handler").isTrue();

            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> published = new ArrayList<>();
            for (int n = 1; n <= PUBLISHERS; n++) {
                int id = n;
                published.add(publishers.submit(() -> {
                    start.await();
                    bus.publish(new Raced(id));
                    return null;
                }));
            }
            start.countDown();

            await().atMost(WAIT).until(() -> published.stream().filter(Future::isDone).count() >= CAPACITY
                    && queue.depth() >= CAPACITY);
            assertThat(queue.depth()).as("queued while the handler is held").isEqualTo(CAPACITY);
            assertThat(queue.overCapacityAdmissions()).as("admitted above capacity").isZero();
            assertThat(published.stream().filter(Future::isDone).count()).as("publishers let in").isEqualTo(CAPACITY);
            assertThat(rows()).as("rows stored: the handled one, and the queued ones").isEqualTo(1 + CAPACITY);

            gate.countDown();
            for (Future<?> each : published) {
                each.get(60, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> HANDLED.size() == PUBLISHERS + 1 && rows() == 0);
            assertThat(HANDLED.values()).allSatisfy(count -> assertThat(count.get()).isOne());
            assertThat(queue.overCapacityAdmissions()).as("admitted above capacity").isZero();
        } finally {
            publishers.shutdownNow();
        }
    }

    private long rows() {
        return JdbcClient.create(database.dataSource()).sql("SELECT count(*) FROM critter.critter_incoming_envelopes "
                + "WHERE destination = 'local://raced' AND status = 'queued'").query(Long.class).single();
    }
}
