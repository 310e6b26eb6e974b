package dev.critter.durability.jdbc.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.MessageContext;
import dev.critter.durability.jdbc.JdbcSchemaMigrations;
import dev.critter.durability.jdbc.MigrationScripts;
import dev.critter.durability.jdbc.SchemaName;
import dev.critter.local.DurableLocalQueue;
import dev.critter.local.LocalTransport;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applications with durable local queues on a test database, and the handlers they run: {@code job}
 * (not transactional: counts in memory, can be held or made to fail) and {@code payment}
 * (transactional: a row per attempt in {@code test_payments}, committed with its handled mark).
 */
final class InboxApps {

    static final String TABLES = """
            CREATE TABLE IF NOT EXISTS test_payments (id text NOT NULL, attempt int NOT NULL, tx bigint NOT NULL);
            """;

    private InboxApps() {
    }

    static ConfigurableApplicationContext start(TestDatabase database, String... properties) {
        List<String> all = new ArrayList<>(List.of("critter.handlers.base-packages=" + InboxApps.class.getPackageName(),
                "critter.local.queues.job.durable=true", "critter.local.queues.payment.durable=true",
                "critter.local.queues.move.durable=true", "critter.local.queues.move.partition-by=key",
                "critter.local.queues.move.parallelism=4",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=2s", "critter.errors.retry-cooldowns=0ms",
                "spring.datasource.hikari.maximum-pool-size=8"));
        all.addAll(List.of("spring.main.banner-mode=off", "spring.application.name=orders", "critter.shutdown-timeout=5s"));
        all.addAll(List.of(database.springProperties()));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    /** Critter's tables, before an application starts (to leave rows as other nodes would). */
    static void migrate(TestDatabase database) {
        new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"), MigrationScripts.critter()).migrate();
    }

    @JdbcTestApplication
    static class App {

        /** Jobs that throw {@link RequeueMe} go to the back of their queue. */
        @org.springframework.context.annotation.Bean
        dev.critter.CritterConfigurer requeueJobs() {
            return o -> o.forMessage(Job.class).onException(RequeueMe.class).requeue();
        }
    }

    /** Thrown by the job handler for ids in {@link Jobs#requeueing}, on the first two attempts. */
    static final class RequeueMe extends RuntimeException {
        RequeueMe(String message) {
            super(message);
        }
    }

    static DurableLocalQueue queue(ConfigurableApplicationContext app, String name) {
        return app.getBean(LocalTransport.class).endpoints().stream()
                .filter(endpoint -> endpoint instanceof DurableLocalQueue d && d.settings().name().equals(name))
                .map(DurableLocalQueue.class::cast).findFirst().orElseThrow();
    }

    /** Handled by {@link JobHandler}, on the durable queue {@code job}. */
    public record Job(String id) { }

    /** Handled by {@link PaymentHandler}, transactionally, on the durable queue {@code payment}. */
    public record Payment(String id) { }

    /** Handled by {@link MoveHandler}, in order per key, on the durable partitioned queue {@code move}. */
    public record Move(String key, int seq) { }

    /** The moves handled, in the order they were, and the gate that holds key {@code stuck}. */
    static final class Moves {
        static final List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        static volatile CountDownLatch stuck = new CountDownLatch(0);
    }

    public static class MoveHandler {
        public void handle(Move move) throws InterruptedException {
            if (move.key().equals("stuck") && !Moves.stuck.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            Moves.handled.add(move.key() + "-" + move.seq());
        }
    }

    /** What the job handler saw, shared by the applications of one test JVM. */
    static final class Jobs {
        static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        static final Set<String> failing = ConcurrentHashMap.newKeySet();
        static final Set<String> requeueing = ConcurrentHashMap.newKeySet();
        static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        static volatile CountDownLatch gate = new CountDownLatch(0);

        static int count(String id) {
            AtomicInteger n = handled.get(id);
            return n == null ? 0 : n.get();
        }

        static void reset() {
            handled.clear();
            failing.clear();
            requeueing.clear();
            attempts.clear();
            gate.countDown();
            gate = new CountDownLatch(0);
        }
    }

    public static class JobHandler {
        public void handle(Job job) throws InterruptedException {
            if (!Jobs.gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            int attempt = Jobs.attempts.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
            if (Jobs.requeueing.contains(job.id()) && attempt <= 2) {
                throw new RequeueMe("job " + job.id() + " goes to the back, attempt " + attempt);
            }
            if (Jobs.failing.contains(job.id())) {
                throw new IllegalArgumentException("job " + job.id() + " fails");
            }
            Jobs.handled.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    public static class PaymentHandler {
        public Job handle(Payment payment, JdbcTemplate jdbc, MessageContext context) {
            jdbc.update("INSERT INTO test_payments (id, attempt, tx) VALUES (?, ?, txid_current())", payment.id(),
                    context.attempts());
            if (payment.id().startsWith("flaky") && context.attempts() == 1) {
                throw new IllegalStateException("first attempt of " + payment.id() + " fails");
            }
            // A cascade to the durable job queue: stored in this handler's transaction.
            return payment.id().startsWith("cascade") ? new Job("after-" + payment.id()) : null;
        }
    }
}
