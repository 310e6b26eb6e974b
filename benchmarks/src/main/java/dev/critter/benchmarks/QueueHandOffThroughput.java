package dev.critter.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.critter.Envelope;
import dev.critter.benchmarks.noop.HandledCount;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalQueueSettings;

/**
 * The local queue alone against the raw executor, without Critter's publish and handling path:
 * one thread sends the same envelope {@code messages} times into a {@link LocalQueue} (parallelism
 * 2, capacity 10,000) whose receiver only counts, and submits as many counting tasks to a
 * {@code ThreadPoolExecutor} of 2 threads over an {@code ArrayBlockingQueue} of the same capacity.
 * Alternating rounds; prints rate and process CPU time per message, and the medians.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.QueueHandOffThroughput [messages] [rounds]
 * </pre>
 */
public final class QueueHandOffThroughput {

    private QueueHandOffThroughput() {
    }

    /**
     * @param args optional: messages per round (default 2,000,000), rounds (default 5)
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        HandledCount queueCount = new HandledCount();
        LocalQueue queue = new LocalQueue(LocalQueueSettings.parallel("hand-off", 2, 10_000, Duration.ofMinutes(1)),
                (envelope, from) -> queueCount.countOne());
        queue.start();
        HandledCount rawCount = new HandledCount();
        ThreadPoolExecutor raw = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(10_000), QueueHandOffThroughput::waitForRoom);
        raw.prestartAllCoreThreads();
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType("ping").message("ping")
                .sentAt(Instant.now()).build();
        Runnable task = rawCount::countOne;
        List<double[]> queueFigures = new ArrayList<>();
        List<double[]> rawFigures = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < 2; i++) {
                boolean queueTurn = (round + i) % 2 == 0;
                HandledCount count = queueTurn ? queueCount : rawCount;
                count.expect(messages);
                long start = System.nanoTime();
                long cpu = cpuNanos();
                for (int m = 0; m < messages; m++) {
                    if (queueTurn) {
                        queue.send(envelope, false);
                    } else {
                        raw.execute(task);
                    }
                }
                count.await(Duration.ofMinutes(2));
                double rate = messages * 1e9 / (System.nanoTime() - start);
                double cpuPerMessage = (double) (cpuNanos() - cpu) / messages;
                if (round > 0) {
                    (queueTurn ? queueFigures : rawFigures).add(new double[] {rate, cpuPerMessage});
                    System.out.printf(Locale.ROOT, "round %d  %-12s %,12.0f msg/s  %,5.0f cpu ns/msg%n", round,
                            queueTurn ? "local queue" : "raw executor", rate, cpuPerMessage);
                }
            }
        }
        queue.stop(Duration.ofSeconds(5));
        raw.shutdown();
        double queueRate = median(queueFigures, 0);
        double rawRate = median(rawFigures, 0);
        System.out.printf(Locale.ROOT, "median   local queue  %,12.0f msg/s  %,5.0f cpu ns/msg%n", queueRate,
                median(queueFigures, 1));
        System.out.printf(Locale.ROOT, "median   raw executor %,12.0f msg/s  %,5.0f cpu ns/msg%n", rawRate,
                median(rawFigures, 1));
        System.out.printf(Locale.ROOT, "ratio    local queue / raw %.2f (rate), %.2f (cpu)%n", queueRate / rawRate,
                median(rawFigures, 1) / median(queueFigures, 1));
    }

    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        try {
            executor.getQueue().put(task);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException(ex);
        }
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double median(List<double[]> figures, int index) {
        List<Double> values = new ArrayList<>();
        figures.forEach(f -> values.add(f[index]));
        values.sort(null);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }
}
