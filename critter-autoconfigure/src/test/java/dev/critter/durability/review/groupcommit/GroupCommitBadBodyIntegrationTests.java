package dev.critter.durability.review.groupcommit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Publishes to a durable local queue outside a transaction share one multi-row insert (group
 * commit). One message whose body does not serialize must fail its own publish only, not those of
 * the other publishers whose messages happened to be in the same batch.
 */
class GroupCommitBadBodyIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private final TestDatabase database = TestPostgres.newDatabase(GroupCommitBadBodyIntegrationTests.class);

    public record Good(String id) { }

    /** Its body cannot be written: the accessor Jackson reads throws. */
    public record Bad(String id) {
        @Override
        public String id() {
            throw new IllegalStateException("no body for you");
        }
    }

    public static class GoodHandler {
        public void handle(Good good) {
            HANDLED.computeIfAbsent(good.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    public static class BadHandler {
        public void handle(Bad bad) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DurableQueues {
        @Bean
        CritterConfigurer durableQueues() {
            return o -> o.policies().useDurableLocalQueues();
        }
    }

    @Test
    void aMessageThatDoesNotSerializeFailsOnlyItsOwnPublish() throws Exception {
        try (ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {DurableQueues.class},
                "critter.handlers.base-packages=" + GroupCommitBadBodyIntegrationTests.class.getPackageName(),
                "critter.durability.background-connections=1", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=10s", "critter.durability.poll-interval=200ms")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            String node = app.getBean(DurabilityNode.class).id().toString();
            ExecutorService publishers = Executors.newFixedThreadPool(2);
            try (Connection holder = database.dataSource().getConnection()) {
                // The node's only background thread is held by its heartbeat, waiting for this lock:
                // both publishes meet in the next insert batch.
                holder.setAutoCommit(false);
                try (PreparedStatement lock = holder.prepareStatement(
                        "SELECT node_id FROM critter.critter_nodes WHERE node_id = ?::uuid FOR UPDATE")) {
                    lock.setString(1, node);
                    try (ResultSet locked = lock.executeQuery()) {
                        assertThat(locked.next()).isTrue();
                    }
                }
                int holderPid;
                try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()");
                     ResultSet r = pid.executeQuery()) {
                    r.next();
                    holderPid = r.getInt(1);
                }
                await().atMost(WAIT).until(() -> JdbcClient.create(database.dataSource()).sql(
                        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")
                        .param(holderPid).query(Integer.class).single() > 0);
                Set<Thread> waiting = ConcurrentHashMap.newKeySet();
                Future<?> good = publishers.submit(() -> {
                    waiting.add(Thread.currentThread());
                    bus.publish(new Good("g-1"));
                });
                Future<?> bad = publishers.submit(() -> {
                    waiting.add(Thread.currentThread());
                    bus.publish(new Bad("b-1"));
                });
                // Both publishers wait for the commit of the same batch.
                await().atMost(WAIT).until(() -> waiting.size() == 2 && waiting.stream()
                        .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
                holder.rollback();
                assertThatThrownBy(() -> bad.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("no body for you");
                good.get(60, TimeUnit.SECONDS); // before the fix: the other message's serialization error
            } finally {
                publishers.shutdownNow();
            }
            await().atMost(WAIT).until(() -> HANDLED.containsKey("g-1"));
        }
    }
}
