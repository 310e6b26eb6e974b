package dev.critter.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local queue throughput, publish to handled: one thread publishes a batch of {@value #MESSAGES}
 * no-op messages and waits until all were handled by {@value #PARALLELISM} workers behind a
 * queue of capacity {@value #CAPACITY}. Scores are messages per second.
 * <ul>
 *   <li>{@code critter}: {@code IMessageBus.publish} into a Spring Boot context, Critter auto-configured;</li>
 *   <li>{@code critterWithMetrics}: the same with a Micrometer {@code SimpleMeterRegistry} bean (metrics on);</li>
 *   <li>{@code rawExecutor}: a {@code ThreadPoolExecutor} on an {@code ArrayBlockingQueue} whose publisher
 *       blocks when it is full, running the same handler.</li>
 * </ul>
 * Run all three side by side: {@code java -jar benchmarks/target/benchmarks.jar LocalQueueThroughput}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LocalQueueThroughputBenchmark {

    /** Messages per benchmark invocation: ten times the capacity, so the publisher meets a full queue. */
    static final int MESSAGES = 100_000;
    static final int PARALLELISM = 2;
    static final int CAPACITY = 10_000;

    /** Critter with no meter registry. */
    @State(Scope.Benchmark)
    public static class CritterState {
        CritterSubject subject;

        @Setup(Level.Trial)
        public void start() {
            subject = CritterSubject.start(PARALLELISM, CAPACITY, false);
        }

        @TearDown(Level.Trial)
        public void stop() {
            subject.close();
        }
    }

    /** Critter with a {@code SimpleMeterRegistry}, so every message is also counted and timed. */
    @State(Scope.Benchmark)
    public static class CritterWithMetricsState {
        CritterSubject subject;

        @Setup(Level.Trial)
        public void start() {
            subject = CritterSubject.start(PARALLELISM, CAPACITY, true);
        }

        @TearDown(Level.Trial)
        public void stop() {
            long recorded = subject.recordedExecutions();
            subject.close();
            if (recorded <= 0) {
                throw new IllegalStateException("Metrics were on but Critter recorded no handler execution");
            }
        }
    }

    /** The raw executor baseline. */
    @State(Scope.Benchmark)
    public static class ExecutorState {
        ExecutorSubject subject;

        @Setup(Level.Trial)
        public void start() {
            subject = new ExecutorSubject(PARALLELISM, CAPACITY);
        }

        @TearDown(Level.Trial)
        public void stop() {
            subject.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void critter(CritterState state) throws InterruptedException {
        state.subject.publishAndAwait(MESSAGES);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void critterWithMetrics(CritterWithMetricsState state) throws InterruptedException {
        state.subject.publishAndAwait(MESSAGES);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void rawExecutor(ExecutorState state) throws InterruptedException {
        state.subject.publishAndAwait(MESSAGES);
    }
}
