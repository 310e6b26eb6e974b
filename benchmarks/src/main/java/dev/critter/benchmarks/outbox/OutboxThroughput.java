package dev.critter.benchmarks.outbox;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Transactional publish → handled, on the PostgreSQL server (fsync on): Critter's outbox and a
 * plain JDBC outbox doing the same job ({@link RawJdbcOutbox}) in alternating rounds of one JVM,
 * after one unreported warm-up round each. Publisher threads each commit transactions of
 * {@code perTransaction} messages; a round ends when every message was handled by a no-op handler
 * and the outbox is empty again. Prints messages per second per round, the medians and the ratio.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.outbox.OutboxThroughput \
 *      [perTransaction=1] [messages=10000] [rounds=3] [publishers=4] [jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test]
 * </pre>
 */
public final class OutboxThroughput {

    private OutboxThroughput() {
    }

    /**
     * Runs the benchmark.
     * @param args optional: messages per transaction, messages per round, rounds, publisher threads, JDBC URL
     * @throws Exception when a round fails
     */
    public static void main(String[] args) throws Exception {
        int perTransaction = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int publishers = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String url = args.length > 4 ? args[4] : "jdbc:postgresql://127.0.0.1:5432/test";
        if (perTransaction < 1 || messages % (perTransaction * publishers) != 0 || rounds < 1) {
            throw new IllegalArgumentException("messages (" + messages + ") must be a multiple of perTransaction ("
                    + perTransaction + ") x publishers (" + publishers + "), rounds at least 1");
        }
        System.out.printf(Locale.ROOT, "%s, JDK %s, %s %s, %d CPUs, max heap %d MiB%n", LocalDate.now(),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%s: %,d messages per round, %d per transaction, %d publisher threads%n", url,
                messages, perTransaction, publishers);
        try (CritterOutbox critter = CritterOutbox.start(url, publishers);
             RawJdbcOutbox raw = new RawJdbcOutbox(url, publishers)) {
            List<OutboxSubject> subjects = List.of(critter, raw);
            for (OutboxSubject subject : subjects) {
                rate(subject, messages, perTransaction, publishers);
            }
            List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>());
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < subjects.size(); i++) {
                    int index = (round % 2 == 1) ? i : subjects.size() - 1 - i;
                    OutboxSubject subject = subjects.get(index);
                    double rate = rate(subject, messages, perTransaction, publishers);
                    rates.get(index).add(rate);
                    System.out.printf(Locale.ROOT, "round %d  %-10s %,10.0f msg/s%n", round, subject.name(), rate);
                }
            }
            double critterMedian = median(rates.get(0));
            double rawMedian = median(rates.get(1));
            System.out.printf(Locale.ROOT, "median   %-10s %,10.0f msg/s%n", critter.name(), critterMedian);
            System.out.printf(Locale.ROOT, "median   %-10s %,10.0f msg/s%n", raw.name(), rawMedian);
            System.out.printf(Locale.ROOT, "ratio    critter / raw  %.2f%n", critterMedian / rawMedian);
            System.out.printf(Locale.ROOT, "rows left in Critter's outbox: %d%n", critter.rows());
        }
    }

    private static double rate(OutboxSubject subject, int messages, int perTransaction, int publishers)
            throws Exception {
        subject.expect(messages);
        int transactionsPerPublisher = messages / perTransaction / publishers;
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int first = p * transactionsPerPublisher * perTransaction;
                running.add(threads.submit(() -> {
                    for (int t = 0; t < transactionsPerPublisher; t++) {
                        subject.publishInTransaction(first + t * perTransaction, perTransaction);
                    }
                    return null;
                }));
            }
            for (Future<?> publisher : running) {
                publisher.get();
            }
            subject.awaitHandledAndEmpty(Duration.ofMinutes(5));
        } finally {
            threads.shutdownNow();
        }
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
