package dev.critter.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.critter.IMessageBus;
import dev.critter.LocalQueueConfiguration;
import dev.critter.benchmarks.noop.HandledCount;
import dev.critter.benchmarks.noop.Ping;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalTransport;
import dev.critter.local.LocalQueueSettings;
import dev.critter.observability.CritterMetricNames;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Critter in a minimal Spring Boot context: auto-configured as an application gets it, scanning
 * only {@link Ping}'s package, with the {@code ping} queue set through {@code critter.local.queues.ping.*}.
 * Messages go through {@link IMessageBus#publish(Object)} from the calling thread.
 */
final class CritterSubject implements ThroughputSubject {

    private final ConfigurableApplicationContext context;
    private final IMessageBus bus;
    private final HandledCount handled;
    private final String name;

    private CritterSubject(ConfigurableApplicationContext context, String name) {
        this.context = context;
        this.bus = context.getBean(IMessageBus.class);
        this.handled = context.getBean(HandledCount.class);
        this.name = name;
    }

    /**
     * Starts the context and checks that the queue got the requested settings.
     * @param parallelism the {@code ping} queue's parallelism
     * @param capacity the {@code ping} queue's capacity
     * @param metrics whether a Micrometer {@link SimpleMeterRegistry} bean is present, which
     *                switches Critter's metrics on
     * @return the running subject; close it to stop the context
     */
    static CritterSubject start(int parallelism, int capacity, boolean metrics) {
        String queue = LocalQueueConfiguration.defaultNameFor(Ping.class);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("critter.handlers.base-packages", Ping.class.getPackageName());
        properties.put("critter.local.queues." + queue + ".parallelism", parallelism);
        properties.put("critter.local.queues." + queue + ".capacity", capacity);
        properties.put("logging.level.root", "WARN");
        Class<?>[] sources = metrics ? new Class<?>[] {BenchmarkApplication.class, MetricsConfiguration.class}
                : new Class<?>[] {BenchmarkApplication.class};
        ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(properties)
                .run();
        try {
            checkQueue(context, queue, parallelism, capacity);
            checkMetrics(context, metrics);
        } catch (RuntimeException ex) {
            context.close();
            throw ex;
        }
        return new CritterSubject(context, metrics ? "critter+metrics" : "critter");
    }

    private static void checkQueue(ConfigurableApplicationContext context, String queue, int parallelism,
                                   int capacity) {
        List<LocalQueue> queues = context.getBean(LocalTransport.class).queues();
        if (queues.size() != 1 || !queues.get(0).settings().name().equals(queue)) {
            throw new IllegalStateException("Expected exactly the local queue '" + queue + "', found " + queues);
        }
        LocalQueueSettings settings = queues.get(0).settings();
        if (settings.parallelism() != parallelism || settings.capacity() != capacity) {
            throw new IllegalStateException("Queue '" + queue + "' runs with parallelism " + settings.parallelism()
                    + " and capacity " + settings.capacity() + ", not the requested " + parallelism + " and "
                    + capacity);
        }
    }

    private static void checkMetrics(ConfigurableApplicationContext context, boolean metrics) {
        boolean present = !context.getBeansOfType(MeterRegistry.class).isEmpty();
        if (present != metrics) {
            throw new IllegalStateException("Expected metrics " + (metrics ? "on" : "off")
                    + " but a MeterRegistry is " + (present ? "present" : "absent"));
        }
    }

    /**
     * With metrics on, the number of handler executions Critter's timer recorded; proves the
     * metrics variant measures what it claims.
     * @return the timer's count, or -1 without metrics
     */
    long recordedExecutions() {
        MeterRegistry registry = context.getBeanProvider(MeterRegistry.class).getIfAvailable();
        if (registry == null) {
            return -1;
        }
        Timer timer = registry.find(CritterMetricNames.MESSAGES_HANDLED).timer();
        return timer != null ? timer.count() : 0;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void publish(Ping ping) {
        bus.publish(ping);
    }

    @Override
    public HandledCount handled() {
        return handled;
    }

    @Override
    public void close() {
        context.close();
    }

    /** The benchmark application: auto-configuration only, no component scan. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BenchmarkApplication {

        @Bean
        HandledCount handledCount() {
            return new HandledCount();
        }
    }

    /** Adds a meter registry, as an application with Micrometer has one. */
    @Configuration(proxyBeanMethods = false)
    static class MetricsConfiguration {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
