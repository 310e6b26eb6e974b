package dev.critter.benchmarks.scheduled;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.critter.IMessageBus;
import dev.critter.scheduling.MessageScheduler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Durable scheduled messages against the PostgreSQL server (fsync on), in one run:
 * <ol>
 *   <li><b>Due at once</b>: {@code count} scheduled messages (default 100,000), written as Critter
 *       writes them by one SQL statement (as another node would have), become due at the same
 *       instant on one node; the rate is the count over the time from that instant to the
 *       last handler start, with duplicates and misses counted. Beside it, in alternating rounds,
 *       the raw JDBC baseline: the same number of rows in a table of the same shape, claimed and
 *       deleted by one thread with {@code DELETE ... WHERE (id, destination) IN (SELECT ... FOR
 *       UPDATE SKIP LOCKED LIMIT 500) RETURNING} (no message reading, no hand-off, no handler), once
 *       committing as PostgreSQL does by default and once with {@code synchronous_commit = off},
 *       as Critter's claims and deletes commit.</li>
 *   <li><b>Lateness</b>: 1,000 messages due spread evenly over 10 s, from handler start minus due
 *       time (p50, p99, max): scheduled through the bus of this node (its poller is woken for each),
 *       and written by SQL as another node would (the poller plans its wake from the table).</li>
 * </ol>
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.scheduled.ScheduledMessagesBenchmark [count] [rounds] [jdbc-url] [user]
 * </pre>
 * Uses schemas {@code bench_scheduling} (Critter's tables) and {@code bench_scheduling_raw}, dropped at the start.
 */
public final class ScheduledMessagesBenchmark {

    private static final String SCHEMA = "bench_scheduling";
    private static final String RAW_SCHEMA = "bench_scheduling_raw";
    private static final int RAW_BATCH = 500;
    private static final Duration LEAD = Duration.ofSeconds(2);

    private ScheduledMessagesBenchmark() {
    }

    /**
     * @param args optional: messages per round (100,000), rounds (3), JDBC URL, user
     * @throws Exception when the database fails
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String url = args.length > 2 ? args[2] : "jdbc:postgresql://127.0.0.1:5432/test";
        String user = args.length > 3 ? args[3] : "postgres";
        System.out.printf(Locale.ROOT, "%s, JDK %s, %d CPUs, max heap %d MiB; PostgreSQL %s%n", LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, url);
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user);
        dataSource.setMaximumPoolSize(10);
        try (dataSource) {
            execute(dataSource, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "DROP SCHEMA IF EXISTS " + RAW_SCHEMA + " CASCADE");
            System.out.println(settings(dataSource));
            DataSourceHolder.dataSource = dataSource;
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties("critter.durability.schema=" + SCHEMA,
                            "critter.handlers.base-packages=" + Due.class.getPackageName(),
                            "spring.main.banner-mode=off", "logging.level.root=WARN")
                    .run()) {
                System.out.println("Critter: " + app.getBean(MessageScheduler.class) + ", poll-interval "
                        + app.getEnvironment().getProperty("critter.durability.poll-interval", "1s") + ", batch-size "
                        + app.getEnvironment().getProperty("critter.durability.batch-size", "500")
                        + ", background-connections "
                        + app.getEnvironment().getProperty("critter.durability.background-connections", "2")
                        + ", local queue 'due' parallelism " + Runtime.getRuntime().availableProcessors()
                        + ", capacity 10,000; raw: one thread, " + RAW_BATCH + " rows per DELETE ... RETURNING");
                execute(dataSource, "CREATE SCHEMA " + RAW_SCHEMA, "CREATE TABLE " + RAW_SCHEMA + ".scheduled (LIKE "
                        + SCHEMA + ".critter_scheduled_envelopes INCLUDING ALL)");
                dueAtOnce(app, dataSource, count, rounds);
                lateness(app, dataSource);
            }
        }
    }

    private static void dueAtOnce(ConfigurableApplicationContext app, DataSource dataSource, int count, int rounds)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n== %,d scheduled messages due at once, one node ==%n", count);
        critterRound(app, dataSource, Math.min(count, 20_000), true);
        rawRound(dataSource, Math.min(count, 20_000), true, true);
        List<Double> critter = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> rawAsync = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (round % 2 == 1) {
                critter.add(critterRound(app, dataSource, count, false));
                raw.add(rawRound(dataSource, count, false, true));
                rawAsync.add(rawRound(dataSource, count, false, false));
            } else {
                rawAsync.add(rawRound(dataSource, count, false, false));
                raw.add(rawRound(dataSource, count, false, true));
                critter.add(critterRound(app, dataSource, count, false));
            }
        }
        double critterMedian = median(critter);
        double rawMedian = median(raw);
        double rawAsyncMedian = median(rawAsync);
        System.out.printf(Locale.ROOT, "median   critter %,10.0f msg/s   raw claim-delete %,10.0f rows/s (ratio %.2f)   "
                        + "raw claim-delete, synchronous_commit off %,10.0f rows/s (ratio %.2f)%n",
                critterMedian, rawMedian, critterMedian / rawMedian, rawAsyncMedian, critterMedian / rawAsyncMedian);
    }

    private static double critterRound(ConfigurableApplicationContext app, DataSource dataSource, int count,
                                       boolean warmUp) throws Exception {
        DueLog.reset(count);
        // Rows as Critter writes them (JSON body, type name, times), by SQL as another node would
        // have: the same fill as the raw baseline's, so the two differ only in how rows are taken.
        Instant due = Instant.now().plus(LEAD);
        long dueNanos = System.nanoTime() + LEAD.toNanos();
        execute(dataSource, fill(SCHEMA + ".critter_scheduled_envelopes", count, due));
        await(() -> DueLog.handled() >= count && rows(dataSource, SCHEMA + ".critter_scheduled_envelopes") == 0,
                Duration.ofMinutes(5));
        double seconds = (DueLog.lastStartNanos() - dueNanos) / 1e9;
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "%s critter          %,10.0f msg/s  (%,d in %.2f s from due to last handler start;"
                        + " duplicates %d, missing %d)%n",
                warmUp ? "warm-up" : "round  ", rate, count, seconds, DueLog.duplicates(), count - DueLog.distinct());
        return rate;
    }

    private static double rawRound(DataSource dataSource, int count, boolean warmUp, boolean synchronousCommit)
            throws Exception {
        String table = RAW_SCHEMA + ".scheduled";
        Instant due = Instant.now().plus(LEAD);
        long dueNanos = System.nanoTime() + LEAD.toNanos();
        execute(dataSource, "TRUNCATE " + table, fill(table, count, due));
        AtomicIntegerArray seen = new AtomicIntegerArray(count);
        String claimDelete = "DELETE FROM " + table + " WHERE (id, destination) IN (SELECT id, destination FROM " + table
                + " WHERE due_at <= now() ORDER BY due_at LIMIT " + RAW_BATCH + " FOR UPDATE SKIP LOCKED) RETURNING body";
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int total = 0;
        long last = dueNanos;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(claimDelete)) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET synchronous_commit TO " + (synchronousCommit ? "on" : "off"));
            }
            while (total < count) {
                int got = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String body = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
                        seen.incrementAndGet(Integer.parseInt(body.substring(5, body.length() - 1)));
                        got++;
                    }
                }
                total += got;
                last = System.nanoTime();
                if (got == 0) {
                    Thread.onSpinWait();
                }
            }
            try (Statement set = connection.createStatement()) {
                set.execute("RESET synchronous_commit");
            }
        }
        int duplicates = 0;
        for (int i = 0; i < count; i++) {
            duplicates += Math.max(0, seen.get(i) - 1);
        }
        double seconds = (last - dueNanos) / 1e9;
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "%s raw claim-delete %,10.0f rows/s (%,d in %.2f s; duplicates %d)%s%n",
                warmUp ? "warm-up" : "round  ", rate, count, seconds, duplicates,
                synchronousCommit ? "" : ", synchronous_commit off");
        return rate;
    }

    private static void lateness(ConfigurableApplicationContext app, DataSource dataSource) throws Exception {
        int count = 1000;
        Duration spread = Duration.ofSeconds(10);
        System.out.printf(Locale.ROOT, "%n== lateness: %,d messages due spread evenly over %s, one node ==%n", count, spread);
        IMessageBus bus = app.getBean(IMessageBus.class);
        for (int run = 1; run <= 3; run++) {
            DueLog.reset(count);
            Instant start = Instant.now().plus(Duration.ofSeconds(5));
            long scheduling = System.nanoTime();
            for (int i = 0; i < count; i++) {
                bus.schedule(new Due(i), start.plus(spread.multipliedBy(i).dividedBy(count)));
            }
            System.out.printf(Locale.ROOT, "(scheduling them one by one from one thread, outside a transaction: %.0f/s)%n",
                    count / ((System.nanoTime() - scheduling) / 1e9));
            await(() -> DueLog.handled() >= count, Duration.ofMinutes(2));
            report("scheduled through this node's bus", DueLog.latenessMicros());
        }
        for (int run = 1; run <= 3; run++) {
            DueLog.reset(count);
            Instant start = Instant.now().plus(LEAD);
            execute(dataSource, "INSERT INTO " + SCHEMA + ".critter_scheduled_envelopes (id, destination, due_at, "
                    + "message_type, body, sent_at, scheduled_at) SELECT gen_random_uuid(), 'local://due', t, '"
                    + Due.class.getName() + "', convert_to('{\"n\":' || g || '}', 'UTF8'), now(), t FROM (SELECT g, '"
                    + start + "'::timestamptz + g * interval '" + spread.toMillis() / count + " milliseconds' AS t "
                    + "FROM generate_series(0, " + (count - 1) + ") g) s");
            await(() -> DueLog.handled() >= count, Duration.ofMinutes(2));
            report("written by SQL (another node) ", DueLog.latenessMicros());
        }
    }

    private static String fill(String table, int count, Instant due) {
        return "INSERT INTO " + table + " (id, destination, due_at, message_type, body, sent_at, scheduled_at) "
                + "SELECT gen_random_uuid(), 'local://due', '" + due + "', '" + Due.class.getName()
                + "', convert_to('{\"n\":' || g || '}', 'UTF8'), now(), '" + due + "' FROM generate_series(0, "
                + (count - 1) + ") g";
    }

    private static void report(String what, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s  lateness (handler start - due): p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
                        + "min %.1f ms%n", what, sorted[sorted.length / 2] / 1000.0,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1000.0, sorted[sorted.length - 1] / 1000.0,
                sorted[0] / 1000.0);
    }

    private static String settings(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'), "
                     + "current_setting('shared_buffers'), version()")) {
            rs.next();
            return "PostgreSQL settings: fsync=" + rs.getString(1) + ", synchronous_commit=" + rs.getString(2)
                    + ", shared_buffers=" + rs.getString(3) + "; " + rs.getString(4);
        }
    }

    private static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long rows(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not done within " + timeout + ": handled " + DueLog.handled());
            }
            Thread.sleep(5);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Hands the benchmark's pool to the application as its one DataSource. */
    static final class DataSourceHolder {
        static volatile DataSource dataSource;

        private DataSourceHolder() {
        }
    }

    /** The application: auto-configured, its DataSource the benchmark's pool. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        DataSource dataSource() {
            return new DelegatingDataSourceWithoutClose(DataSourceHolder.dataSource);
        }
    }

    /** The benchmark closes the pool itself, after the application. */
    static final class DelegatingDataSourceWithoutClose extends org.springframework.jdbc.datasource.DelegatingDataSource {
        DelegatingDataSourceWithoutClose(DataSource target) {
            super(target);
        }
    }
}
