package dev.critter.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.critter.IMessageBus;
import dev.critter.benchmarks.invoke.Answer;
import dev.critter.benchmarks.invoke.Nudge;
import dev.critter.benchmarks.invoke.NudgeHandler;
import dev.critter.benchmarks.invoke.Question;
import dev.critter.benchmarks.invoke.QuestionHandler;

import io.micrometer.core.instrument.MeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole inline call, {@code bus.invoke(message)} and {@code bus.invoke(message, Answer.class)}
 * of a no-op handler, beside the direct call of the same handler, in a Spring Boot context with
 * Critter auto-configured and no meter registry (metrics off). Average time per call; add
 * {@code -prof gc} for the bytes allocated per call:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BusInvokeBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BusInvokeBenchmark {

    private ConfigurableApplicationContext context;
    private IMessageBus bus;
    private NudgeHandler nudgeHandler;
    private QuestionHandler questionHandler;
    private Nudge nudge;
    private Question question;

    /** Starts the context once per trial and checks that metrics are off. */
    @Setup
    public void start() {
        context = new SpringApplicationBuilder(InvokeApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(Map.of("critter.handlers.base-packages", Nudge.class.getPackageName(),
                        "logging.level.root", "WARN"))
                .run();
        if (!context.getBeansOfType(MeterRegistry.class).isEmpty()) {
            throw new IllegalStateException("A MeterRegistry is present: this benchmark measures metrics off");
        }
        bus = context.getBean(IMessageBus.class);
        nudgeHandler = new NudgeHandler();
        questionHandler = new QuestionHandler();
        nudge = new Nudge(7);
        question = new Question(7);
    }

    /** Closes the context. */
    @TearDown
    public void stop() {
        context.close();
    }

    /** The floor: the handler called as hand-written code calls it. */
    @Benchmark
    public void direct() {
        nudgeHandler.handle(nudge);
    }

    /** The floor for a request: the handler called directly, its answer consumed. */
    @Benchmark
    public void directWithAnswer(Blackhole blackhole) {
        blackhole.consume(questionHandler.handle(question));
    }

    /** {@code bus.invoke(message)} of a handler that does nothing. */
    @Benchmark
    public void invoke() {
        bus.invoke(nudge);
    }

    /** {@code bus.invoke(message, Answer.class)}: the request/reply form. */
    @Benchmark
    public void invokeWithAnswer(Blackhole blackhole) {
        blackhole.consume(bus.invoke(question, Answer.class));
    }

    /** Auto-configuration only, no component scan. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class InvokeApplication {
    }
}
