package dev.critter.benchmarks.overload;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.critter.IMessageBus;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalTransport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A durable local queue driven at twice the rate its handler sustains, open loop, against the
 * PostgreSQL server (fsync on); beside it, in the same run, the same load into the raw JDBC
 * durable queue of {@code DurableQueueThroughput}. For each subject:
 * <ol>
 *   <li><b>Sustainable rate R</b>: {@value #PUBLISHERS} threads publish flat out for
 *       {@code measure-seconds}; R is the handlers' start rate after the first 2 s. The handler
 *       waits {@code work-ms} per message at parallelism {@value #CONSUMERS}, so the handler, not
 *       the publishing side, is the bottleneck. Then everything drains.</li>
 *   <li><b>2× overload</b>: a schedule of messages at 2R, message {@code i} meant to be sent at
 *       {@code t0 + i / 2R}; {@value #PUBLISHERS} publisher threads take every
 *       {@value #PUBLISHERS}th message, wait for its time if ahead and send at once if behind
 *       (open loop: a blocked publisher does not lower the offered rate, it falls behind the
 *       schedule). After {@code seconds} nothing more is sent; what the schedule still held is
 *       reported as not sent, and the queue drains.</li>
 * </ol>
 * Every {@code report-seconds}: offered, accepted and handled rates, the backlog (messages
 * behind schedule at the callers, in the in-memory queue and being handled, rows in the database),
 * the share of publisher time spent waiting for room, heap used after a forced GC, and latency
 * from intended send to handler start (and from accepted publish to handler start).
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.overload.OverloadBenchmark [seconds] [work-ms] [capacity] [report-seconds] [measure-seconds] [jdbc-url] [baseline]
 * </pre>
 * Uses schemas {@code bench_overload} (Critter's tables) and {@code bench_overload_raw}, dropped at the start.
 */
public final class OverloadBenchmark {

    private static final int PUBLISHERS = 16;
    private static final int CONSUMERS = 4;
    private static final String QUEUE = "overload-item";
    private static final String SCHEMA = "bench_overload";
    private static final String RAW_SCHEMA = "bench_overload_raw";
    private static final long SECOND = 1_000_000_000L;
    private static final int MEASURE_CAP = 400_000;

    private OverloadBenchmark() {
    }

    /**
     * @param args optional: overload seconds (60), handler work in ms (8), queue capacity (10,000),
     *             report interval in s (5), seconds to measure R (10), JDBC URL (user postgres),
     *             {@code false} to skip the raw baseline
     * @throws Exception when the database fails or a phase does not drain
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        double workMs = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        int capacity = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int report = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int measure = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        String url = args.length > 5 ? args[5] : "jdbc:postgresql://127.0.0.1:5432/test";
        boolean baseline = args.length <= 6 || Boolean.parseBoolean(args[6]);
        long work = (long) (workMs * 1_000_000);
        System.out.printf(Locale.ROOT, "%s, JDK %s, %d CPUs, max heap %d MiB; PostgreSQL %s%n", LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, url);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN", "bench.url=" + url,
                        "critter.handlers.base-packages=" + OverloadItem.class.getPackageName(),
                        "critter.durability.schema=" + SCHEMA,
                        "critter.local.queues." + QUEUE + ".durable=true",
                        "critter.local.queues." + QUEUE + ".parallelism=" + CONSUMERS,
                        "critter.local.queues." + QUEUE + ".capacity=" + capacity)
                .run();
        try {
            DataSource dataSource = app.getBean(DataSource.class);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("DELETE FROM " + SCHEMA + ".critter_incoming_envelopes");
            jdbc.execute("DROP SCHEMA IF EXISTS " + RAW_SCHEMA + " CASCADE");
            jdbc.execute("CREATE SCHEMA " + RAW_SCHEMA);
            jdbc.execute("CREATE TABLE " + RAW_SCHEMA + ".inbox (id uuid PRIMARY KEY, body bytea NOT NULL, "
                    + "received_at timestamptz NOT NULL DEFAULT now())");
            System.out.println("PostgreSQL settings: fsync=" + jdbc.queryForObject("SHOW fsync", String.class)
                    + ", synchronous_commit=" + jdbc.queryForObject("SHOW synchronous_commit", String.class));
            System.out.printf(Locale.ROOT, "handler: %.1f ms of waiting per message, parallelism %d, capacity %,d; "
                            + "%d publisher threads outside transactions; overload %d s, reports every %d s%n",
                    workMs, CONSUMERS, capacity, PUBLISHERS, seconds, report);
            LocalQueue memory = app.getBean(LocalTransport.class).queues().stream()
                    .filter(q -> q.settings().name().equals(QUEUE)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no local queue " + QUEUE));
            List<Subject> subjects = new ArrayList<>();
            subjects.add(new CritterSubject(app.getBean(IMessageBus.class), memory, jdbc));
            if (baseline) {
                subjects.add(new RawSubject(dataSource, jdbc, capacity));
            }
            List<String> summaries = new ArrayList<>();
            for (Subject subject : subjects) {
                subject.start();
                try {
                    double rate = sustainableRate(subject, measure, work);
                    summaries.add(overload(subject, 2 * rate, seconds, report, work, rate));
                } finally {
                    subject.stop();
                }
            }
            System.out.println();
            summaries.forEach(System.out::println);
            System.out.println("critter_handled_messages rows (handled ids kept for idempotent receive): "
                    + jdbc.queryForObject("SELECT count(*) FROM " + SCHEMA + ".critter_handled_messages", Long.class));
        } finally {
            app.close();
        }
    }

    /** Publishers flat out; the handlers' start rate after the first 2 s is the sustainable rate. */
    private static double sustainableRate(Subject subject, int seconds, long work) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s: sustainable rate, publishers flat out for %d s ==%n", subject.name(), seconds);
        LoadLog.reset(MEASURE_CAP, work);
        AtomicInteger next = new AtomicInteger();
        AtomicLong published = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * SECOND;
        runPublishers(p -> {
            for (int n = next.getAndIncrement(); n < MEASURE_CAP && System.nanoTime() < end; n = next.getAndIncrement()) {
                LoadLog.intended(n, System.nanoTime());
                subject.send(n);
                LoadLog.accepted(n, System.nanoTime());
                published.incrementAndGet();
            }
        });
        long from = start + 2 * SECOND;
        int handledInWindow = 0;
        for (int n = 0; n < LoadLog.size(); n++) {
            long started = LoadLog.startedAt(n);
            if (LoadLog.count(n) > 0 && started >= from && started < end) {
                handledInWindow++;
            }
        }
        double rate = handledInWindow * (double) SECOND / (end - from);
        System.out.printf(Locale.ROOT, "%s: published %,d in %d s (%,.0f/s accepted), handled %,.0f/s from 2 s on: R = %,.0f msg/s%n",
                subject.name(), published.get(), seconds, published.get() / (double) seconds, rate, rate);
        subject.publishersDone();
        awaitDrained(subject, published.get());
        return rate;
    }

    private static String overload(Subject subject, double rate, int seconds, int report, long work, double sustainable)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s: 2× overload, %,.0f msg/s offered for %d s ==%n", subject.name(), rate, seconds);
        int size = (int) Math.ceil(rate * seconds) + PUBLISHERS;
        LoadLog.reset(size, work);
        MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        long heapBefore = heapAfterGc(heap);
        System.out.printf(Locale.ROOT, "heap after GC before the phase: %.1f MiB%n", heapBefore / 1048576.0);
        long t0 = System.nanoTime() + SECOND / 10;
        long end = t0 + seconds * SECOND;
        LongAdder blocked = new LongAdder();
        LongAdder publishing = new LongAdder();
        LongAdder published = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int first = p;
            futures.add(publishers.submit(() -> {
                for (int n = first; n < size; n += PUBLISHERS) {
                    long intended = t0 + (long) (n * (SECOND / rate));
                    if (intended >= end) {
                        break;
                    }
                    for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= end) {
                        break; // time is up: what the schedule still holds is not sent
                    }
                    LoadLog.intended(n, intended);
                    long calling = System.nanoTime();
                    try {
                        blocked.add(subject.send(n));
                        LoadLog.accepted(n, System.nanoTime());
                        published.increment();
                    } catch (Exception ex) {
                        if (failed.sum() == 0) {
                            System.out.println("publish failed (first of its kind): " + ex);
                        }
                        failed.increment();
                    }
                    publishing.add(System.nanoTime() - calling);
                }
                return null;
            }));
        }
        Stats stats = new Stats();
        System.out.println("    t |  offered accepted  handled msg/s | behind-schedule  queued+in-flight  db-rows | "
                + "waiting-for-room | heap-after-GC | intended→start p50 / p99 / max        | accepted→start p99");
        long tick = t0;
        long drainDeadline = Long.MAX_VALUE;
        long lastBlocked = 0;
        while (true) {
            tick += report * SECOND;
            LockSupport.parkNanos(tick - System.nanoTime());
            long now = System.nanoTime();
            boolean publishing1 = now < end;
            long scheduled = Math.min(size, (long) Math.ceil((Math.min(now, end) - t0) * rate / SECOND));
            Window window = Window.of(tick - report * SECOND, tick);
            long blockedNow = blocked.sum();
            double waitingShare = (blockedNow - lastBlocked) / (double) (report * SECOND * PUBLISHERS);
            lastBlocked = blockedNow;
            long behind = Math.max(0, scheduled - published.sum() - failed.sum());
            int queued = subject.depth();
            int inFlight = subject.inFlight();
            long rows = subject.rows();
            long heapUsed = heapAfterGc(heap);
            stats.sample(behind, queued + inFlight, rows, heapUsed, publishing1);
            System.out.printf(Locale.ROOT, "%5.0f | %8.0f %8.0f %8.0f       | %15d  %16d  %7d | %15.0f%% | %9.1f MiB | "
                            + "%9.1f / %9.1f / %9.1f ms | %.1f ms%n",
                    (tick - t0) / 1e9, publishing1 ? rate : 0.0, window.accepted / (double) report,
                    window.handled / (double) report, behind, queued + inFlight, rows, 100 * waitingShare,
                    heapUsed / 1048576.0, window.p(0.5), window.p(0.99), window.max(), window.acceptedP99());
            if (!publishing1 && drainDeadline == Long.MAX_VALUE) {
                drainDeadline = now + 5 * 60 * SECOND;
                System.out.println("  -- publishing stopped (calls under way finish); draining --");
            }
            if (!publishing1 && !done.get() && futures.stream().allMatch(Future::isDone)) {
                for (Future<?> future : futures) {
                    future.get();
                }
                publishers.shutdown();
                subject.publishersDone();
                done.set(true);
            }
            if (done.get() && drained(subject, published.sum()) || now > drainDeadline) {
                break;
            }
        }
        long intendedTotal = Math.min(size, (long) Math.ceil((end - t0) * rate / SECOND));
        Tally tally = Tally.of(published.sum());
        Window all = Window.of(Long.MIN_VALUE, Long.MAX_VALUE);
        Window steady = Window.of(t0, end);
        double handledRate = steady.handled * (double) SECOND / (end - t0);
        String summary = String.format(Locale.ROOT, "%s, 2× overload (R = %,.0f msg/s, offered %,.0f msg/s for %d s):%n"
                        + "  intended %,d, published %,d (%,.0f/s), failed %,d, not sent when the time was up %,d%n"
                        + "  handled %,.0f msg/s during the overload window (%.2f R); handled %,d distinct, %,d duplicates,"
                        + " %,d published but never handled, %,d handled but never published%n"
                        + "  backlog max: behind schedule %,d, queued+in-flight %,d (capacity + %d handling), db rows %,d%n"
                        + "  publishers waited for room %.0f%% of their time, mean publish call %.2f ms (room wait included)%n"
                        + "  heap after GC while publishing: min %.1f MiB, max %.1f MiB (before the phase %.1f MiB)%n"
                        + "  latency intended send → handler start: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
                        + "  latency publish returned → handler start: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                subject.name(), sustainable, rate, seconds, intendedTotal, published.sum(), published.sum() / (double) seconds,
                failed.sum(), intendedTotal - published.sum() - failed.sum(), handledRate, handledRate / sustainable,
                tally.distinct, tally.duplicates, tally.missing, tally.unexpected, stats.maxBehind, stats.maxQueued,
                CONSUMERS, stats.maxRows, 100.0 * blocked.sum() / ((double) (end - t0) * PUBLISHERS),
                publishing.sum() / 1e6 / Math.max(1, published.sum() + failed.sum()),
                stats.minHeap / 1048576.0, stats.maxHeap / 1048576.0, heapBefore / 1048576.0,
                all.p(0.5), all.p(0.99), all.max(), all.acceptedP(0.5), all.acceptedP(0.99), all.acceptedMax());
        System.out.print(summary);
        if (!drained(subject, published.sum())) {
            throw new IllegalStateException(subject.name() + " did not drain within 5 minutes");
        }
        return summary;
    }

    private static long heapAfterGc(MemoryMXBean heap) {
        heap.gc();
        return heap.getHeapMemoryUsage().getUsed();
    }

    private static boolean drained(Subject subject, long published) {
        return Tally.of(published).missing == 0 && subject.depth() == 0 && subject.inFlight() == 0 && subject.rows() == 0;
    }

    private static void awaitDrained(Subject subject, long published) throws InterruptedException {
        long deadline = System.nanoTime() + 5 * 60 * SECOND;
        while (!drained(subject, published)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(subject.name() + " did not drain within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private interface Body {
        void run(int publisher) throws Exception;
    }

    private static void runPublishers(Body body) throws Exception {
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int publisher = p;
            futures.add(publishers.submit(() -> {
                body.run(publisher);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        publishers.shutdown();
    }

    /** Extremes of the periodic samples; heap only while publishing, when the load is on. */
    private static final class Stats {
        long maxBehind;
        long maxQueued;
        long maxRows;
        long minHeap = Long.MAX_VALUE;
        long maxHeap;

        void sample(long behind, long queued, long rows, long heap, boolean publishing) {
            maxBehind = Math.max(maxBehind, behind);
            maxQueued = Math.max(maxQueued, queued);
            maxRows = Math.max(maxRows, rows);
            if (publishing) {
                minHeap = Math.min(minHeap, heap);
                maxHeap = Math.max(maxHeap, heap);
            }
        }
    }

    /** Handled against published, by message number. */
    private static final class Tally {
        long distinct;
        long duplicates;
        long missing;
        long unexpected;

        static Tally of(long published) {
            Tally tally = new Tally();
            for (int n = 0; n < LoadLog.size(); n++) {
                int count = LoadLog.count(n);
                boolean accepted = LoadLog.acceptedAt(n) != 0;
                tally.distinct += count > 0 ? 1 : 0;
                tally.duplicates += Math.max(0, count - 1);
                tally.missing += accepted && count == 0 ? 1 : 0;
                tally.unexpected += !accepted && count > 0 ? 1 : 0;
            }
            // A handler may start before its publish returned: counted as handled, not unexpected, once it did.
            return tally;
        }
    }

    /** The messages whose handler first started in [from, to): latencies as sorted arrays. */
    private static final class Window {
        long accepted;
        long handled;
        long[] fromIntended = new long[0];
        long[] fromAccepted = new long[0];

        static Window of(long from, long to) {
            Window window = new Window();
            long[] intended = new long[LoadLog.size()];
            long[] accepted = new long[LoadLog.size()];
            int h = 0;
            int a = 0;
            for (int n = 0; n < LoadLog.size(); n++) {
                long acceptedAt = LoadLog.acceptedAt(n);
                if (acceptedAt != 0 && acceptedAt >= from && acceptedAt < to) {
                    window.accepted++;
                }
                if (LoadLog.count(n) == 0) {
                    continue;
                }
                long started = LoadLog.startedAt(n);
                if (started >= from && started < to) {
                    intended[h++] = started - LoadLog.intendedAt(n);
                    if (acceptedAt != 0) {
                        accepted[a++] = Math.max(0, started - acceptedAt);
                    }
                }
            }
            window.handled = h;
            window.fromIntended = Arrays.copyOf(intended, h);
            window.fromAccepted = Arrays.copyOf(accepted, a);
            Arrays.sort(window.fromIntended);
            Arrays.sort(window.fromAccepted);
            return window;
        }

        double p(double q) {
            return percentile(fromIntended, q);
        }

        double max() {
            return percentile(fromIntended, 1);
        }

        double acceptedP(double q) {
            return percentile(fromAccepted, q);
        }

        double acceptedP99() {
            return acceptedP(0.99);
        }

        double acceptedMax() {
            return percentile(fromAccepted, 1);
        }

        private static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
        }
    }

    /** A durable queue under test. */
    private interface Subject {
        String name();

        void start();

        /**
         * Sends message {@code n}, durably, waiting for room as the queue makes its callers wait.
         * @return the nanoseconds spent waiting for room
         */
        long send(int n) throws Exception;

        int depth();

        int inFlight();

        long rows();

        /** After a phase's publisher threads ended. */
        default void publishersDone() {
        }

        void stop() throws InterruptedException;
    }

    /**
     * {@code bus.publish} outside a transaction. Before it the publisher waits for room by
     * {@link LocalQueue#awaitAccepting()}, the wait {@code publish} itself starts with, so that the
     * time spent blocked by back-pressure can be told from the time spent storing.
     */
    private static final class CritterSubject implements Subject {
        private final IMessageBus bus;
        private final LocalQueue memory;
        private final JdbcTemplate jdbc;

        CritterSubject(IMessageBus bus, LocalQueue memory, JdbcTemplate jdbc) {
            this.bus = bus;
            this.memory = memory;
            this.jdbc = jdbc;
        }

        @Override
        public String name() {
            return "Critter durable queue";
        }

        @Override
        public void start() {
        }

        @Override
        public long send(int n) {
            long start = System.nanoTime();
            memory.awaitAccepting();
            long waited = System.nanoTime() - start;
            bus.publish(new OverloadItem(n));
            return waited;
        }

        @Override
        public int depth() {
            return memory.depth();
        }

        @Override
        public int inFlight() {
            return memory.inFlight();
        }

        @Override
        public long rows() {
            Long rows = jdbc.queryForObject("SELECT count(*) FROM " + SCHEMA + ".critter_incoming_envelopes", Long.class);
            return rows == null ? 0 : rows;
        }

        @Override
        public void stop() {
        }
    }

    /**
     * The raw JDBC durable queue of {@code DurableQueueThroughput}: the publisher inserts the row
     * (autocommit) and puts it into an {@code ArrayBlockingQueue} of the same capacity, waiting
     * while it is full; {@value #CONSUMERS} consumers take, handle (the same work) and delete the
     * row (one commit each).
     */
    private static final class RawSubject implements Subject {
        private final DataSource dataSource;
        private final JdbcTemplate jdbc;
        private final ArrayBlockingQueue<Item> queue;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final ThreadLocal<PreparedStatement> inserts = new ThreadLocal<>();
        private final List<Connection> connections = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);

        RawSubject(DataSource dataSource, JdbcTemplate jdbc, int capacity) {
            this.dataSource = dataSource;
            this.jdbc = jdbc;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        private record Item(int n, UUID id) {
        }

        @Override
        public String name() {
            return "raw JDBC durable queue";
        }

        @Override
        public void start() {
            running = true;
            consumers = Executors.newFixedThreadPool(CONSUMERS);
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.submit(() -> {
                    try (Connection connection = dataSource.getConnection();
                         PreparedStatement delete = connection.prepareStatement("DELETE FROM " + RAW_SCHEMA
                                 + ".inbox WHERE id = ?")) {
                        while (running) {
                            Item item = queue.poll(100, TimeUnit.MILLISECONDS);
                            if (item != null) {
                                inFlight.incrementAndGet();
                                LoadLog.started(item.n());
                                LoadLog.work();
                                delete.setObject(1, item.id());
                                delete.executeUpdate();
                                inFlight.decrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
        }

        @Override
        public long send(int n) throws Exception {
            PreparedStatement insert = inserts.get();
            if (insert == null) {
                Connection connection = dataSource.getConnection();
                connections.add(connection);
                insert = connection.prepareStatement("INSERT INTO " + RAW_SCHEMA + ".inbox (id, body) VALUES (?, ?)");
                inserts.set(insert);
            }
            Item item = new Item(n, UUID.randomUUID());
            insert.setObject(1, item.id());
            insert.setBytes(2, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
            if (queue.offer(item)) {
                return 0;
            }
            long start = System.nanoTime();
            queue.put(item);
            return System.nanoTime() - start;
        }

        @Override
        public int depth() {
            return queue.size();
        }

        @Override
        public int inFlight() {
            return inFlight.get();
        }

        @Override
        public long rows() {
            Long rows = jdbc.queryForObject("SELECT count(*) FROM " + RAW_SCHEMA + ".inbox", Long.class);
            return rows == null ? 0 : rows;
        }

        @Override
        public void stop() throws InterruptedException {
            running = false;
            consumers.shutdown();
            consumers.awaitTermination(1, TimeUnit.MINUTES);
            publishersDone();
        }

        /** Publisher threads are new each phase: the connections they opened are closed here, not by them. */
        @Override
        public void publishersDone() {
            synchronized (connections) {
                for (Connection connection : connections) {
                    try {
                        connection.close();
                    } catch (java.sql.SQLException ex) {
                        // closing after the phase: nothing to keep
                    }
                }
                connections.clear();
            }
        }
    }

    /** Its own pool and transaction manager: the benchmarks module has no Boot JDBC auto-configuration. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource(Environment environment) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(environment.getRequiredProperty("bench.url"));
            pool.setUsername("postgres");
            // Raw publishers hold a connection each, consumers one each, plus Critter's background work and the sampler.
            pool.setMaximumPoolSize(PUBLISHERS + CONSUMERS + 6);
            return pool;
        }

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }
}
