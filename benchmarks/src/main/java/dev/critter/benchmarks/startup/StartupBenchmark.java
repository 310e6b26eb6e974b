package dev.critter.benchmarks.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up cost of Critter for an application with {@value HundredHandlers#COUNT} handlers: starts
 * {@link StartupProbe} in fresh child JVMs, alternately with and without Critter, after one
 * unreported warm-up pair (disk cache), and prints each start, the medians and the difference, in
 * wall time and in CPU time (steadier on a machine shared with other work).
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.startup.StartupBenchmark [rounds]
 * </pre>
 * {@code -Dbench.childJvmArgs="..."} passes options to both child JVMs: {@code -Xint} measures the
 * work done without the JIT's noise, {@code -Dcritter.handlers.base-packages=dev.critter.none}
 * Critter's cost with no handler.
 */
public final class StartupBenchmark {

    private static final Pattern LINE = Pattern.compile("run-ms=(\\d+) jvm-ms=(\\d+) critter-threads=(\\d+) cpu-ms=(\\d+) main-cpu-ms=(\\d+)");

    private StartupBenchmark() {
    }

    /**
     * @param args optional: rounds (default 7)
     * @throws Exception when a child JVM fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.printf(Locale.ROOT, "JDK %s, %d CPUs, %d handlers, %d rounds%s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), HundredHandlers.COUNT, rounds,
                childJvmArgs().isEmpty() ? "" : ", child JVM options " + childJvmArgs());
        probe("without");
        probe("with");
        List<long[]> without = new ArrayList<>();
        List<long[]> with = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean withFirst = round % 2 == 0;
            for (String variant : withFirst ? List.of("with", "without") : List.of("without", "with")) {
                long[] figures = probe(variant);
                (variant.equals("with") ? with : without).add(figures);
                System.out.printf(Locale.ROOT,
                        "round %d  %-8s run %5d ms  jvm %5d ms  cpu %5d ms  main cpu %5d ms  critter threads %d%n",
                        round, variant, figures[0], figures[1], figures[3], figures[4], figures[2]);
            }
        }
        long runWithout = median(without, 0);
        long runWith = median(with, 0);
        long jvmWithout = median(without, 1);
        long jvmWith = median(with, 1);
        long cpuWithout = median(without, 3);
        long cpuWith = median(with, 3);
        System.out.printf(Locale.ROOT, "median   without  run %5d ms  jvm %5d ms  cpu %5d ms%n", runWithout, jvmWithout,
                cpuWithout);
        System.out.printf(Locale.ROOT, "median   with     run %5d ms  jvm %5d ms  cpu %5d ms  critter threads %d%n",
                runWith, jvmWith, cpuWith, median(with, 2));
        long mainWithout = median(without, 4);
        long mainWith = median(with, 4);
        System.out.printf(Locale.ROOT, "median   main-thread cpu without %5d ms, with %5d ms%n", mainWithout, mainWith);
        System.out.printf(Locale.ROOT, "added by Critter: run %d ms, jvm %d ms, cpu %d ms, main-thread cpu %d ms%n",
                runWith - runWithout, jvmWith - jvmWithout, cpuWith - cpuWithout, mainWith - mainWithout);
        // Each round starts both variants back to back: the difference within a round cancels the
        // drift of the machine's speed between rounds, which moves both medians above by 100 ms or more.
        System.out.printf(Locale.ROOT, "added by Critter, median of the differences within a round: run %d ms, "
                + "jvm %d ms, cpu %d ms, main-thread cpu %d ms%n", pairedMedian(with, without, 0),
                pairedMedian(with, without, 1), pairedMedian(with, without, 3), pairedMedian(with, without, 4));
    }

    /** The median of {@code with[i] - without[i]} over the rounds, for one figure. */
    private static long pairedMedian(List<long[]> with, List<long[]> without, int index) {
        List<long[]> differences = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            differences.add(new long[] {with.get(i)[index] - without.get(i)[index]});
        }
        return median(differences, 0);
    }

    private static long[] probe(String variant) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmArgs());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupProbe.class.getName(), variant));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        }
        int exit = process.waitFor();
        for (String line : output) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.find() && exit == 0) {
                return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)),
                        Long.parseLong(matcher.group(5))};
            }
        }
        throw new IllegalStateException("Probe '" + variant + "' exited with " + exit + ":\n" + String.join("\n", output));
    }

    /** The options {@code -Dbench.childJvmArgs} gives, separated by spaces. */
    private static List<String> childJvmArgs() {
        String args = System.getProperty("bench.childJvmArgs", "").strip();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    private static long median(List<long[]> figures, int index) {
        List<Long> values = new ArrayList<>();
        figures.forEach(f -> values.add(f[index]));
        values.sort(null);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }
}
