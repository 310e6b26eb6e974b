package dev.critter.benchmarks.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up cost of Critter for an application with {@value HundredHandlers#COUNT} handlers: starts
 * {@link StartupProbe} in fresh child JVMs — without Critter, with Critter and its handlers, with
 * Critter but no handler (its fixed cost), and, as a yardstick, the same hundred handlers written as
 * Spring {@code @EventListener} components without Critter — after one unreported warm-up round (disk cache),
 * in an order that rotates from round to round, and prints each start, the medians, and what
 * Critter added: the median of the differences within a round, and their mean with its standard
 * error (a change smaller than about twice that error is noise). Figures are wall time, CPU time
 * of the whole JVM and CPU time of the main thread.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.startup.StartupBenchmark [rounds]
 * </pre>
 * {@code -Dbench.childJvmArgs="..."} passes options to every child JVM: {@code -Xint} measures
 * the work done without the JIT's noise, {@code -XX:TieredStopAtLevel=1} without the C2 compiler.
 */
public final class StartupBenchmark {

    private static final Pattern LINE = Pattern.compile("run-ms=(\\d+) jvm-ms=(\\d+) critter-threads=(\\d+) cpu-ms=(\\d+) main-cpu-ms=(\\d+)");

    /** A package with no class in it: Critter scans it and finds no handler. */
    private static final String NO_HANDLERS = "-Dcritter.handlers.base-packages=dev.critter.benchmarks.startup.none";

    private static final int RUN = 0;
    private static final int JVM = 1;
    private static final int THREADS = 2;
    private static final int CPU = 3;
    private static final int MAIN_CPU = 4;

    /** One way of starting the probe. */
    private record Variant(String name, String probeArgument, List<String> jvmArgs) {
    }

    private static final Variant WITHOUT = new Variant("without", "without", List.of());
    private static final Variant WITH = new Variant("with", "with", List.of());
    private static final Variant NONE = new Variant("with, no handler", "with", List.of(NO_HANDLERS));
    private static final Variant LISTENERS = new Variant("spring listeners", "spring-listeners", List.of());

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
        List<Variant> variants = List.of(WITHOUT, WITH, NONE, LISTENERS);
        for (Variant variant : variants) {
            probe(variant);
        }
        Map<Variant, List<long[]>> figures = new LinkedHashMap<>();
        variants.forEach(v -> figures.put(v, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            // Rotating the order spreads the machine's drift within a round over every variant.
            List<Variant> order = new ArrayList<>(variants);
            Collections.rotate(order, round);
            for (Variant variant : order) {
                long[] start = probe(variant);
                figures.get(variant).add(start);
                System.out.printf(Locale.ROOT,
                        "round %d  %-16s run %5d ms  jvm %5d ms  cpu %5d ms  main cpu %5d ms  critter threads %d%n",
                        round, variant.name(), start[RUN], start[JVM], start[CPU], start[MAIN_CPU], start[THREADS]);
            }
        }
        for (Variant variant : variants) {
            List<long[]> starts = figures.get(variant);
            System.out.printf(Locale.ROOT, "median   %-16s run %5d ms  jvm %5d ms  cpu %5d ms  main cpu %5d ms  critter threads %d%n",
                    variant.name(), median(starts, RUN), median(starts, JVM), median(starts, CPU), median(starts, MAIN_CPU),
                    median(starts, THREADS));
        }
        List<long[]> without = figures.get(WITHOUT);
        System.out.println("added by Critter: the median of the differences within a round; mean ± standard error");
        report("with 100 handlers", figures.get(WITH), without);
        report("fixed (no handler)", figures.get(NONE), without);
        report("the 100 handlers", figures.get(WITH), figures.get(NONE));
        System.out.println("the yardstick: the same 100 handlers as Spring @EventListener components, no Critter");
        report("spring listeners", figures.get(LISTENERS), without);
        report("Critter - listeners", figures.get(WITH), figures.get(LISTENERS));
    }

    private static void report(String what, List<long[]> with, List<long[]> without) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-19s", what));
        for (int index : new int[] {RUN, CPU, MAIN_CPU}) {
            List<long[]> differences = new ArrayList<>();
            for (int i = 0; i < with.size(); i++) {
                differences.add(new long[] {with.get(i)[index] - without.get(i)[index]});
            }
            line.append(String.format(Locale.ROOT, "  %s %4d ms (%4.0f ± %3.0f)", index == RUN ? "run" : index == CPU ? "cpu"
                    : "main cpu", median(differences, 0), mean(differences), standardError(differences)));
        }
        System.out.println(line);
    }

    private static long[] probe(Variant variant) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmArgs());
        command.addAll(variant.jvmArgs());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupProbe.class.getName(),
                variant.probeArgument()));
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
        throw new IllegalStateException("Probe '" + variant.name() + "' exited with " + exit + ":\n"
                + String.join("\n", output));
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

    private static double mean(List<long[]> values) {
        return values.stream().mapToLong(v -> v[0]).average().orElse(0);
    }

    /** The standard deviation of the values over the square root of their count; 0 for fewer than two. */
    private static double standardError(List<long[]> values) {
        if (values.size() < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = values.stream().mapToDouble(v -> (v[0] - mean) * (v[0] - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1)) / Math.sqrt(values.size());
    }
}
