package dev.critter.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The local queue throughput comparison without JMH: Critter and the raw executor (both with
 * parallelism 2 and capacity 10,000) each handle a large batch of no-op messages, in alternating
 * rounds in one JVM, after one unreported warm-up round each. Prints messages per second per
 * round, the median of each, and Critter's share of the raw executor's rate; also the process CPU
 * time per message, steadier than the rate on a machine shared with other work.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.EndToEndThroughput [messages] [rounds]
 * </pre>
 */
public final class EndToEndThroughput {

    private static final int PARALLELISM = 2;
    private static final int CAPACITY = 10_000;

    private EndToEndThroughput() {
    }

    /**
     * @param args optional: messages per round (default 1,000,000), rounds (default 3)
     * @throws InterruptedException when interrupted while waiting for a batch
     */
    public static void main(String[] args) throws InterruptedException {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (messages < 1 || rounds < 1) {
            throw new IllegalArgumentException("messages and rounds must be at least 1, were " + messages + " and "
                    + rounds);
        }
        System.out.printf(Locale.ROOT, "%s, JDK %s (%s), %s %s, %d CPUs, max heap %d MiB%n", LocalDate.now(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%,d no-op messages per round, parallelism %d, capacity %,d%n", messages,
                PARALLELISM, CAPACITY);
        try (CritterSubject critter = CritterSubject.start(PARALLELISM, CAPACITY, false);
             ExecutorSubject raw = new ExecutorSubject(PARALLELISM, CAPACITY)) {
            List<ThroughputSubject> subjects = List.of(critter, raw);
            for (ThroughputSubject subject : subjects) {
                rate(subject, messages);
            }
            List<List<Double>> rates = new ArrayList<>();
            List<List<Double>> cpu = new ArrayList<>();
            subjects.forEach(s -> {
                rates.add(new ArrayList<>());
                cpu.add(new ArrayList<>());
            });
            for (int round = 1; round <= rounds; round++) {
                // Alternate which subject goes first, so drift in machine load hits both alike.
                for (int i = 0; i < subjects.size(); i++) {
                    int index = (round % 2 == 1) ? i : subjects.size() - 1 - i;
                    ThroughputSubject subject = subjects.get(index);
                    double rate = rate(subject, messages);
                    rates.get(index).add(rate);
                    cpu.get(index).add(lastCpuNanosPerMessage);
                    System.out.printf(Locale.ROOT,
                            "round %d  %-14s %,12.0f msg/s  %,6.0f cpu ns/msg  publisher %,5.0f cpu ns/msg %,4.0f B/msg, %,6.1f switches/1000 (all threads %,6.1f)%n",
                            round, subject.name(), rate, lastCpuNanosPerMessage, lastPublisherCpuNanosPerMessage,
                            lastPublisherBytesPerMessage,
                            lastPublisherSwitchesPerThousand, lastProcessSwitchesPerThousand);
                }
            }
            double critterMedian = median(rates.get(0));
            double rawMedian = median(rates.get(1));
            System.out.printf(Locale.ROOT, "median   %-14s %,12.0f msg/s%n", critter.name(), critterMedian);
            System.out.printf(Locale.ROOT, "median   %-14s %,12.0f msg/s%n", raw.name(), rawMedian);
            System.out.printf(Locale.ROOT, "ratio    critter / raw  %.2f%n", critterMedian / rawMedian);
            // Both subjects run back to back in a round: the ratio within a round cancels the
            // machine's drift between rounds, which moves the raw executor alone by 2x here.
            List<Double> perRound = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                perRound.add(rates.get(0).get(round) / rates.get(1).get(round));
            }
            System.out.printf(Locale.ROOT, "ratio    critter / raw  %.2f (median of the ratios within a round)%n",
                    median(perRound));
            double critterCpu = median(cpu.get(0));
            double rawCpu = median(cpu.get(1));
            System.out.printf(Locale.ROOT, "cpu      %-14s %,6.0f ns/msg (median)%n", critter.name(), critterCpu);
            System.out.printf(Locale.ROOT, "cpu      %-14s %,6.0f ns/msg (median)%n", raw.name(), rawCpu);
            System.out.printf(Locale.ROOT, "cpu ratio raw / critter %.2f (Critter's throughput share were the cores its own)%n",
                    rawCpu / critterCpu);
        }
    }

    private static double rate(ThroughputSubject subject, int messages) throws InterruptedException {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long publisherCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long publisherBytesStart = allocatedBytes();
        long switchesStart = publisherContextSwitches();
        long processSwitchesStart = processContextSwitches();
        subject.publishAndAwait(messages);
        long elapsed = System.nanoTime() - start;
        lastCpuNanosPerMessage = (double) (processCpuNanos() - cpuStart) / messages;
        lastPublisherCpuNanosPerMessage =
                (double) (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - publisherCpuStart) / messages;
        lastPublisherSwitchesPerThousand = (publisherContextSwitches() - switchesStart) * 1000.0 / messages;
        lastPublisherBytesPerMessage = (double) (allocatedBytes() - publisherBytesStart) / messages;
        lastProcessSwitchesPerThousand = (processContextSwitches() - processSwitchesStart) * 1000.0 / messages;
        return messages * 1e9 / elapsed;
    }

    /** CPU time of the publishing thread per message in the last round: its share of the work. */
    private static double lastPublisherCpuNanosPerMessage;

    /** How often the publishing thread left the core per 1,000 messages: parked on a lock or a full queue. */
    private static double lastPublisherSwitchesPerThousand;

    /** Bytes the publishing thread allocated per message in the last round. */
    private static double lastPublisherBytesPerMessage;

    private static long allocatedBytes() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean sun
                ? sun.getThreadAllocatedBytes(Thread.currentThread().getId()) : 0;
    }

    /** How often any thread of the process left the core per 1,000 messages: workers parking when idle, mostly. */
    private static double lastProcessSwitchesPerThousand;

    /** The context switches of every live thread of this process, from Linux's /proc, or 0 elsewhere. */
    private static long processContextSwitches() {
        long total = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                total += contextSwitches(task.resolve("status"));
            }
        } catch (java.io.IOException | RuntimeException ex) {
            return 0;
        }
        return total;
    }

    /** The calling thread's context switches (voluntary and involuntary) from Linux's /proc, or 0 elsewhere. */
    private static long publisherContextSwitches() {
        return contextSwitches(java.nio.file.Path.of("/proc/thread-self/status"));
    }

    private static long contextSwitches(java.nio.file.Path status) {
        try {
            long total = 0;
            for (String line : java.nio.file.Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return total;
        } catch (java.io.IOException | RuntimeException ex) {
            return 0;
        }
    }

    /**
     * CPU time the whole process spent per message in the last round (publisher, workers, GC and
     * JIT threads): on a machine shared with other work this is steadier than the rate, which
     * also counts the time other processes held the cores.
     */
    private static double lastCpuNanosPerMessage;

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
