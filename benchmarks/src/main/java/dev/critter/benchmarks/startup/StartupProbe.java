package dev.critter.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;

import dev.critter.benchmarks.listeners.HundredListeners;
import dev.critter.benchmarks.listeners.ListenersApplication;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Starts the {@link HundredHandlers} application once, in this fresh JVM, with or without Critter
 * ({@code critter.enabled}) — or, as a yardstick, the {@link HundredListeners} application, the
 * same hundred handlers as Spring {@code @EventListener} components, without Critter — and prints
 * one line: the milliseconds {@code SpringApplication.run}
 * took, the milliseconds since the JVM started, how many {@code critter-*} threads are alive once
 * the context is ready, the CPU milliseconds the JVM had used by then, and those of the main thread
 * alone (which runs the start-up itself; without the JIT compilers' and the GC's threads, whose
 * share swings more). {@link StartupBenchmark} runs it in child JVMs.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    /**
     * @param args {@code with}, {@code without} or {@code spring-listeners}
     */
    public static void main(String[] args) {
        boolean critter = args.length > 0 && args[0].equals("with");
        boolean listeners = args.length > 0 && args[0].equals("spring-listeners");
        long start = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(listeners ? ListenersApplication.class
                : StartupApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(Map.of("critter.enabled", Boolean.toString(critter),
                        "critter.handlers.base-packages", HundredHandlers.class.getPackageName(),
                        "logging.level.root", "WARN"))
                .run();
        long runMillis = (System.nanoTime() - start) / 1_000_000;
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long cpuMillis = processCpuNanos() / 1_000_000;
        long mainCpuMillis = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        long critterThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("critter-")).count();
        if (listeners && context.getBeanNamesForAnnotation(Component.class).length < HundredListeners.COUNT) {
            throw new IllegalStateException("The component scan did not find the " + HundredListeners.COUNT + " listeners");
        }
        context.close();
        System.out.printf(Locale.ROOT, "run-ms=%d jvm-ms=%d critter-threads=%d cpu-ms=%d main-cpu-ms=%d%n", runMillis,
                sinceJvmStart, critterThreads, cpuMillis, mainCpuMillis);
    }

    /** CPU time of the whole JVM so far (all threads): steadier than wall time on a shared machine. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * A typical application class: auto-configuration and a component scan of its package, which
     * holds the handlers (they are not components; Critter finds them itself when enabled).
     */
    @SpringBootApplication(proxyBeanMethods = false)
    static class StartupApplication {
    }
}
