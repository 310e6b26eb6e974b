package dev.critter.benchmarks;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.MessageContext;
import dev.critter.invoker.ArgumentSource;
import dev.critter.invoker.HandlerInvoker;
import dev.critter.invoker.Invocation;
import dev.critter.invoker.InvokerFactory;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures one handler call three ways: through Critter's generated {@link HandlerInvoker}, as a
 * direct Java call, and with {@link Method#invoke}. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar InvokerBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class InvokerBenchmark {

    private PingHandler handler;
    private Counter counter;
    private Ping ping;
    private MessageContext context;
    private HandlerInvoker invoker;
    private Invocation invocation;
    private Method method;

    /** Builds the handler, its invoker and its reflective method once per trial. */
    @Setup
    public void setUp() throws NoSuchMethodException {
        handler = new PingHandler();
        counter = new Counter();
        ping = new Ping(42);
        context = new BenchmarkMessageContext(Envelope.builder().id(UUID.randomUUID()).messageType("ping")
                .message(ping).sentAt(Instant.now()).build());
        method = PingHandler.class.getMethod("handle", Ping.class, Counter.class);
        invoker = new InvokerFactory().create(method, handler,
                List.of(new ArgumentSource.Message(), new ArgumentSource.Bean(counter, "bean 'counter' (Counter)")));
        if (!HandlerInvoker.HIDDEN_CLASS.equals(invoker.kind())) {
            throw new IllegalStateException("Expected a hidden-class invoker, got " + invoker.kind());
        }
        invocation = invoker.invocation();
    }

    /** The baseline: the call as hand-written code makes it. */
    @Benchmark
    public void direct(Blackhole blackhole) {
        blackhole.consume(handler.handle(ping, counter));
    }

    /**
     * The direct call plus the boxing every invoker does, because {@code Invocation.invoke} returns
     * {@code Object}: the fair baseline for {@link #invoker}.
     */
    @Benchmark
    public void directBoxed(Blackhole blackhole) {
        blackhole.consume((Object) Integer.valueOf(handler.handle(ping, counter)));
    }

    /**
     * The generated invocation called the way a handler chain calls it on the hot path (the chain
     * holds the invocation itself, without the {@link HandlerInvoker} wrapper).
     */
    @Benchmark
    public void invocation(Blackhole blackhole) throws Throwable {
        blackhole.consume(invocation.invoke(ping, context));
    }

    /** The call through Critter's generated invoker. */
    @Benchmark
    public void invoker(Blackhole blackhole) throws Throwable {
        blackhole.consume(invoker.invoke(ping, context));
    }

    /** The call through reflection, what Critter avoids. */
    @Benchmark
    public void reflection(Blackhole blackhole) throws ReflectiveOperationException {
        blackhole.consume(method.invoke(handler, ping, counter));
    }

    /** The benchmark's message. */
    public record Ping(int value) {
    }

    /** A bean the handler takes as an argument. */
    public static final class Counter {
        private int total;

        /**
         * @param amount added to the total
         * @return the new total, kept below 64 so that boxing it allocates nothing (Integer cache)
         */
        public int add(int amount) {
            total = (total + amount) & 63;
            return total;
        }
    }

    /** The handler: trivial work on the message. */
    public static class PingHandler {

        /** @param ping the message @param counter a bean @return the counter's new total */
        public int handle(Ping ping, Counter counter) {
            return counter.add(ping.value() & 7);
        }
    }

    // The invoker only reads the envelope from the context; nothing is sent from a benchmark handler.
    private static final class BenchmarkMessageContext implements MessageContext {
        private final Envelope envelope;

        BenchmarkMessageContext(Envelope envelope) {
            this.envelope = envelope;
        }

        @Override
        public Envelope envelope() {
            return envelope;
        }

        @Override
        public @Nullable String tenantId() {
            return envelope.tenantId();
        }

        @Override
        public @Nullable String correlationId() {
            return envelope.correlationId();
        }

        @Override
        public int attempts() {
            return 1;
        }

        @Override
        public void respond(Object reply) {
            throw unsupported();
        }

        @Override
        public void publish(Object message) {
            throw unsupported();
        }

        @Override
        public void publish(Object message, DeliveryOptions options) {
            throw unsupported();
        }

        @Override
        public void send(Object message) {
            throw unsupported();
        }

        @Override
        public void send(Object message, DeliveryOptions options) {
            throw unsupported();
        }

        @Override
        public void invoke(Object message) {
            throw unsupported();
        }

        @Override
        public <T> T invoke(Object message, Class<T> responseType) {
            throw unsupported();
        }

        @Override
        public CompletableFuture<Void> invokeAsync(Object message) {
            throw unsupported();
        }

        @Override
        public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
            throw unsupported();
        }

        @Override
        public void schedule(Object message, Instant at) {
            throw unsupported();
        }

        @Override
        public void schedule(Object message, Duration delay) {
            throw unsupported();
        }

        private static UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("the benchmark handler sends nothing");
        }
    }
}
