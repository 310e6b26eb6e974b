package dev.critter.durability.review.pool;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Transactional handlers of a durable queue holding connections of the application's pool while
 * Critter's background work shares that pool. A pool smaller than the background connections plus
 * the transactional handlers' parallelism is named at start-up (WARN, numbers and keys), one no
 * larger than the background connections fails start-up; a pool
 * of the right size, exhausted anyway by the application's own threads, still lets the node
 * heartbeat: the heartbeat has a connection of its own, outside the pool. Before, a live node
 * went silent past its lease and its messages were taken over (handled twice).
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolExhaustionHeartbeatIntegrationTests {

    static volatile CountDownLatch gate = new CountDownLatch(1);
    static final AtomicInteger STARTED = new AtomicInteger();

    private final TestDatabase database = TestPostgres.newDatabase(PoolExhaustionHeartbeatIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Work(int n) { }

    public static class WorkHandler {
        @Transactional
        public void handle(Work work, javax.sql.DataSource dataSource) throws InterruptedException {
            new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class); // takes its connection
            STARTED.incrementAndGet();
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Durable {
        @Bean
        CritterConfigurer durableQueues() {
            return o -> o.policies().useDurableLocalQueues();
        }

        @Bean
        org.springframework.jdbc.support.JdbcTransactionManager transactionManager(javax.sql.DataSource dataSource) {
            return new org.springframework.jdbc.support.JdbcTransactionManager(dataSource);
        }
    }

    @AfterEach
    void open() {
        gate.countDown();
    }

    @Test
    void aPoolThatCannotServeTheTransactionalHandlersIsNamedAtStartUp(CapturedOutput output) {
        DurableApps.start(database, new Class<?>[] {Durable.class},
                "critter.handlers.base-packages=" + getClass().getPackageName(),
                "critter.local.queues.work.parallelism=4", "spring.datasource.hikari.maximum-pool-size=3").close();
        assertThat(output.getOut())
                .contains("spring.datasource.hikari.maximum-pool-size=3")
                .contains("6 = critter.durability.background-connections (2) + critter.local.queues.work.parallelism (4)")
                .contains("spring.datasource.hikari.maximum-pool-size to at least 6");
    }

    @Test
    void aPoolNoLargerThanTheBackgroundConnectionsFailsStartUp() {
        assertThatThrownBy(() -> DurableApps.start(database, new Class<?>[] {Durable.class},
                "critter.handlers.base-packages=" + getClass().getPackageName(),
                "critter.local.queues.work.parallelism=4", "spring.datasource.hikari.maximum-pool-size=2").close())
                .rootCause().isInstanceOf(CritterConfigurationException.class)
                .hasMessageContaining("spring.datasource.hikari.maximum-pool-size=2")
                .hasMessageContaining("no larger than critter.durability.background-connections (2)")
                .satisfies(ex -> assertThat(((CritterConfigurationException) ex).fix())
                        .contains("spring.datasource.hikari.maximum-pool-size to at least 6"));
    }

    @Test
    void theHeartbeatKeepsUpWhileHandlersAndTheApplicationHoldEveryConnection() throws Exception {
        gate = new CountDownLatch(1);
        STARTED.set(0);
        try (ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {Durable.class},
                "critter.handlers.base-packages=" + getClass().getPackageName(),
                "critter.local.queues.work.parallelism=4", "spring.datasource.hikari.maximum-pool-size=6",
                "critter.durability.node-heartbeat=250ms", "critter.durability.node-lease=2s",
                "critter.durability.poll-interval=200ms")) {
            String node = app.getBean(DurabilityNode.class).id().toString();
            IMessageBus bus = app.getBean(IMessageBus.class);
            // One transaction (one connection) stores all four before any handler takes a connection.
            new org.springframework.transaction.support.TransactionTemplate(
                    app.getBean(org.springframework.transaction.PlatformTransactionManager.class))
                    .executeWithoutResult(status -> {
                        for (int n = 0; n < 4; n++) {
                            bus.publish(new Work(n));
                        }
                    });
            await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.get() >= 4);
            // The application's own threads (web requests, say) take the pool's last two connections.
            DataSource pool = app.getBean(DataSource.class);
            List<Connection> held = new ArrayList<>();
            try {
                held.add(pool.getConnection());
                held.add(pool.getConnection());
                double[] oldest = {0};
                long since = System.nanoTime();
                // Sampled from outside the application's pool for 6 s (three leases), or until the lease is exceeded.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Double age = rows.jdbc().sql("SELECT extract(epoch FROM now() - heartbeat_at)::float8 FROM critter.critter_nodes "
                            + "WHERE node_id = ?::uuid").param(node).query(Double.class).optional().orElse(Double.MAX_VALUE);
                    oldest[0] = Math.max(oldest[0], age);
                    return oldest[0] > 2.0 || System.nanoTime() - since > Duration.ofSeconds(6).toNanos();
                });
                assertThat(oldest[0]).as("seconds since this live node's last heartbeat (node-lease 2s)").isLessThan(2.0);
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
                gate.countDown();
            }
        }
    }
}
