package dev.critter.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.critter.IMessageBus;
import dev.critter.benchmarks.durable.BenchItem;
import dev.critter.benchmarks.durable.BenchItemHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A durable local queue against a raw JDBC durable queue on the PostgreSQL server (fsync on), in
 * the same run, alternating rounds. Each round, {@value #PUBLISHERS} threads publish
 * {@code messages} messages outside any transaction to a queue of parallelism
 * {@value #CONSUMERS} whose handler only counts; a round ends when every message was handled and
 * its row is gone.
 * <ul>
 *   <li><b>Critter</b>: {@code bus.publish} to a durable queue ({@code critter.local.queues.bench-item.durable=true}):
 *       rows inserted by group commit, finished in batches.</li>
 *   <li><b>raw</b>: what a hand-written durable queue does with plain statements: each publisher
 *       inserts the message's row (one commit) and hands it to an {@code ArrayBlockingQueue};
 *       {@value #CONSUMERS} consumer threads take it, handle it (count) and delete its row (one commit).</li>
 * </ul>
 * With a fourth argument {@code n}, both publish {@code n} messages per transaction instead
 * (Critter: {@code bus.publish} inside a {@code TransactionTemplate}, stored in that transaction;
 * raw: a JDBC batch of {@code n} inserts and one commit).
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.DurableQueueThroughput [messages] [rounds] [jdbc-url] [per-transaction]
 * </pre>
 */
public final class DurableQueueThroughput {

    private static final int PUBLISHERS = 8;
    private static final int CONSUMERS = 4;

    private DurableQueueThroughput() {
    }

    /**
     * @param args optional: messages per round (default 20,000), rounds (default 3), JDBC URL
     *             (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}),
     *             messages per transaction (default 0: each published outside any transaction)
     * @throws Exception when a round fails
     */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String url = args.length > 2 ? args[2] : "jdbc:postgresql://127.0.0.1:5432/test";
        int perTransaction = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "bench.url=" + url,
                        "critter.handlers.base-packages=dev.critter.benchmarks.durable",
                        "critter.durability.schema=critter_bench",
                        "critter.local.queues.bench-item.durable=true",
                        "critter.local.queues.bench-item.parallelism=" + CONSUMERS)
                .run();
        try {
            DataSource dataSource = app.getBean(DataSource.class);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("DROP TABLE IF EXISTS bench_raw_inbox");
            jdbc.execute("CREATE TABLE bench_raw_inbox (id uuid PRIMARY KEY, body bytea NOT NULL, "
                    + "received_at timestamptz NOT NULL DEFAULT now())");
            jdbc.execute("DELETE FROM critter_bench.critter_incoming_envelopes");
            System.out.println(jdbc.queryForObject("SHOW fsync", String.class).equals("on")
                    ? "PostgreSQL " + url + ", fsync on" : "WARNING: fsync is off on " + url);
            System.out.println(messages + " messages per round, " + PUBLISHERS + " publishers, "
                    + (perTransaction > 0 ? perTransaction + " per transaction" : "outside transactions")
                    + ", parallelism " + CONSUMERS);
            IMessageBus bus = app.getBean(IMessageBus.class);
            List<Double> critter = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                for (int i = 0; i < 2; i++) {
                    boolean critterTurn = (round + i) % 2 == 0;
                    double rate = critterTurn ? critterRound(bus, jdbc, messages, perTransaction, app)
                            : rawRound(dataSource, messages, perTransaction);
                    if (round > 0) {
                        (critterTurn ? critter : raw).add(rate);
                        System.out.printf(Locale.ROOT, "round %d  %-24s %,10.0f msg/s%n", round,
                                critterTurn ? "Critter durable queue" : "raw JDBC durable queue", rate);
                    }
                }
            }
            double c = median(critter);
            double r = median(raw);
            System.out.printf(Locale.ROOT, "median   %-24s %,10.0f msg/s%nmedian   %-24s %,10.0f msg/s%nratio    %.2fx%n",
                    "Critter durable queue", c, "raw JDBC durable queue", r, c / r);
        } finally {
            app.close();
        }
    }

    private static double critterRound(IMessageBus bus, JdbcTemplate jdbc, int messages, int perTransaction,
                                       ConfigurableApplicationContext app) throws Exception {
        BenchItemHandler.COUNT.expect(messages);
        long start = System.nanoTime();
        if (perTransaction > 0) {
            org.springframework.transaction.support.TransactionTemplate transaction =
                    new org.springframework.transaction.support.TransactionTemplate(
                            app.getBean(org.springframework.transaction.PlatformTransactionManager.class));
            publishInParallel(messages / perTransaction, t -> transaction.executeWithoutResult(status -> {
                for (int i = 0; i < perTransaction; i++) {
                    bus.publish(new BenchItem(t * perTransaction + i));
                }
            }));
        } else {
            publishInParallel(messages, n -> bus.publish(new BenchItem(n)));
        }
        long published = System.nanoTime();
        BenchItemHandler.COUNT.await(Duration.ofMinutes(5));
        long handled = System.nanoTime();
        while (jdbc.queryForObject("SELECT count(*) FROM critter_bench.critter_incoming_envelopes", Long.class) > 0) {
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "         Critter: published after %d ms, handled after %d ms, rows gone after %d ms%n",
                (published - start) / 1_000_000, (handled - start) / 1_000_000, (end - start) / 1_000_000);
        return messages * 1e9 / (end - start);
    }

    private static double rawRound(DataSource dataSource, int messages, int perTransaction) throws Exception {
        BlockingQueue<UUID> queue = new ArrayBlockingQueue<>(10_000);
        CountDownLatch done = new CountDownLatch(messages);
        ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
        long start = System.nanoTime();
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.submit(() -> {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement delete = connection.prepareStatement("DELETE FROM bench_raw_inbox WHERE id = ?")) {
                    while (done.getCount() > 0) {
                        UUID id = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (id != null) {
                            BenchItemHandler.class.hashCode(); // the no-op handler
                            delete.setObject(1, id);
                            delete.executeUpdate();
                            done.countDown();
                        }
                    }
                }
                return null;
            });
        }
        byte[] body = "{\"n\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ThreadLocal<PreparedStatement> inserts = new ThreadLocal<>();
        List<Connection> connections = java.util.Collections.synchronizedList(new ArrayList<>());
        int batch = Math.max(1, perTransaction);
        try {
            publishInParallel(messages / batch, n -> {
                try {
                    PreparedStatement insert = inserts.get();
                    if (insert == null) {
                        Connection connection = dataSource.getConnection();
                        connection.setAutoCommit(batch == 1);
                        connections.add(connection);
                        insert = connection.prepareStatement("INSERT INTO bench_raw_inbox (id, body) VALUES (?, ?)");
                        inserts.set(insert);
                    }
                    List<UUID> ids = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        UUID id = UUID.randomUUID();
                        insert.setObject(1, id);
                        insert.setBytes(2, body);
                        ids.add(id);
                        if (batch == 1) {
                            insert.executeUpdate();
                        } else {
                            insert.addBatch();
                        }
                    }
                    if (batch > 1) {
                        insert.executeBatch();
                        insert.getConnection().commit();
                    }
                    for (UUID id : ids) {
                        queue.put(id);
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(done.getCount() + " raw messages unhandled");
            }
            return messages * 1e9 / (System.nanoTime() - start);
        } finally {
            consumers.shutdown();
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static void publishInParallel(int messages, java.util.function.IntConsumer publish) throws Exception {
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int first = p;
            futures.add(publishers.submit(() -> {
                for (int n = first; n < messages; n += PUBLISHERS) {
                    publish.accept(n);
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        publishers.shutdown();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** Its own pool and transaction manager: the benchmarks module has no Boot JDBC auto-configuration. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @org.springframework.context.annotation.Bean(destroyMethod = "close")
        com.zaxxer.hikari.HikariDataSource dataSource(org.springframework.core.env.Environment environment) {
            com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
            pool.setJdbcUrl(environment.getRequiredProperty("bench.url"));
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(PUBLISHERS + CONSUMERS + 4);
            return pool;
        }

        @org.springframework.context.annotation.Bean
        org.springframework.jdbc.datasource.DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource);
        }
    }
}
