package dev.critter.sample.load;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.CritterDiagnostics;
import dev.critter.IMessageBus;
import dev.critter.LocalQueueConfiguration;

import org.springframework.stereotype.Component;

/**
 * Pushes a number of {@link LoadPing}s through their local queue as fast as one publisher can,
 * shows a live progress bar, and reports throughput and publish-to-handled latency.
 */
@Component
public class LoadGenerator {

    private static final String QUEUE = LocalQueueConfiguration.defaultNameFor(LoadPing.class);
    private static final long PROGRESS_EVERY_MILLIS = 200;
    private static final int BAR_WIDTH = 30;

    private final IMessageBus bus;
    private final CritterDiagnostics diagnostics;
    private final AtomicReference<Run> current = new AtomicReference<>();

    LoadGenerator(IMessageBus bus, CritterDiagnostics diagnostics) {
        this.bus = bus;
        this.diagnostics = diagnostics;
    }

    /**
     * The outcome of a run.
     * @param messages how many messages were published
     * @param handled how many were handled before the run ended
     * @param wallNanos from the first publish to the last message handled
     * @param publishNanos how long publishing took (the publisher waits while the queue is full)
     * @param secondHalfNanos how long the second half of the messages took to be handled (the JIT has warmed up)
     * @param latency publish-to-handled latency of the handled messages
     */
    public record Result(int messages, int handled, long wallNanos, long publishNanos, long secondHalfNanos,
                         LatencySummary latency) {

        /** @return handled messages per second, over the wall time */
        public double throughput() {
            return handled * 1e9 / wallNanos;
        }

        /** @return handled messages per second over the second half of the run */
        public double secondHalfThroughput() {
            return (messages - messages / 2) * 1e9 / Math.max(1, secondHalfNanos);
        }
    }

    /**
     * Runs once; prints a header, a progress bar on one line, and the summary.
     * @param messages how many messages to push, at least 1
     * @param out where to print
     * @return the figures printed
     */
    public Result run(int messages, PrintStream out) {
        if (messages < 1) {
            throw new IllegalArgumentException("A load run needs at least 1 message, was " + messages);
        }
        Run run = new Run(messages);
        if (!current.compareAndSet(null, run)) {
            throw new IllegalStateException("A load run is already going on");
        }
        describe(messages, out);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "load-progress");
            thread.setDaemon(true);
            return thread;
        });
        long publishNanos;
        boolean finished;
        try {
            Progress progress = new Progress(run, out);
            ticker.scheduleAtFixedRate(progress::print, PROGRESS_EVERY_MILLIS, PROGRESS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            run.startNanos = System.nanoTime();
            run.halfNanos = run.startNanos;
            for (int i = 0; i < messages; i++) {
                bus.publish(new LoadPing(i, System.nanoTime()));
            }
            publishNanos = System.nanoTime() - run.startNanos;
            // Once everything is published at most a queue's worth is left: a minute is plenty.
            finished = run.done.await(60, TimeUnit.SECONDS);
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            progress.print();
            out.println();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Load run interrupted", ex);
        } finally {
            ticker.shutdownNow();
            current.set(null);
        }
        int handled = run.handled.get();
        long wallNanos = (finished ? run.lastNanos : System.nanoTime()) - run.startNanos;
        long[] latencies = finished ? run.latencies : Arrays.stream(run.latencies).filter(l -> l > 0).toArray();
        long secondHalfNanos = finished ? run.lastNanos - run.halfNanos : 0;
        Result result = new Result(messages, handled, wallNanos, publishNanos, secondHalfNanos,
                LatencySummary.of(latencies));
        summarize(result, finished, out);
        return result;
    }

    /** Called by {@link LoadPingConsumer} on a worker thread. */
    void handled(LoadPing ping, long nowNanos) {
        Run run = current.get();
        if (run != null) {
            run.record(ping, nowNanos);
        }
    }

    private void describe(int messages, PrintStream out) {
        String queue = diagnostics.localQueues().stream().filter(q -> q.name().equals(QUEUE)).findFirst()
                .map(q -> q.mode() + ", " + q.parallelism() + " workers, capacity " + String.format("%,d", q.capacity()))
                .orElse("not found");
        out.printf("Critter load run: %,d LoadPing messages, published from one thread, through local queue '%s'%n",
                messages, QUEUE);
        out.printf("  (%s; LoadPingConsumer only notes the arrival time; %d processors, Java %s)%n", queue,
                Runtime.getRuntime().availableProcessors(), Runtime.version().feature());
    }

    private static void summarize(Result r, boolean finished, PrintStream out) {
        if (!finished) {
            out.printf("  only %,d of %,d messages were handled within a minute of the last publish%n", r.handled(),
                    r.messages());
        }
        out.printf("  throughput  %,d messages handled in %.2f s = %,.0f msg/s   (publishing took %.2f s)%n",
                r.handled(), r.wallNanos() / 1e9, r.throughput(), r.publishNanos() / 1e9);
        if (finished && r.messages() >= 2) {
            out.printf("              second half alone, once the JIT warmed up: %,.0f msg/s%n", r.secondHalfThroughput());
        }
        out.println("  latency     publish -> handled: " + r.latency());
        out.println("  (the publisher runs flat out, so latency is mostly the wait behind a full queue;");
        out.println("   the queue's capacity bounds it: the publisher waits for room, nothing is dropped)");
    }

    /** The state of one run, shared by the publisher, the workers and the progress printer. */
    private static final class Run {
        final int messages;
        final long[] latencies;
        final AtomicInteger handled = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long startNanos;
        volatile long halfNanos;
        volatile long lastNanos;

        Run(int messages) {
            this.messages = messages;
            this.latencies = new long[messages];
        }

        void record(LoadPing ping, long nowNanos) {
            if (ping.sequence() >= messages) {
                return;
            }
            latencies[ping.sequence()] = nowNanos - ping.publishedAtNanos();
            // The increment publishes the latency written above to whoever reads the final count.
            int count = handled.incrementAndGet();
            if (count == messages / 2) {
                halfNanos = nowNanos;
            }
            if (count == messages) {
                lastNanos = nowNanos;
                done.countDown();
            }
        }
    }

    /** Redraws one console line: bar, percentage, count and the rate since the last redraw. */
    private static final class Progress {
        private final Run run;
        private final PrintStream out;
        private int lastCount;
        private long lastNanos = System.nanoTime();

        Progress(Run run, PrintStream out) {
            this.run = run;
            this.out = out;
        }

        synchronized void print() {
            int count = run.handled.get();
            long now = System.nanoTime();
            double rate = (count - lastCount) * 1e9 / Math.max(1, now - lastNanos);
            lastCount = count;
            lastNanos = now;
            int filled = (int) ((long) count * BAR_WIDTH / run.messages);
            out.printf("\r  [%s%s] %3d%%  %,11d / %,d  %,9.0f msg/s ", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled),
                    (int) ((long) count * 100 / run.messages), count, run.messages, rate);
            out.flush();
        }
    }
}
