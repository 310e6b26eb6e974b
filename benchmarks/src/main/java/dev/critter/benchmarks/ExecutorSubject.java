package dev.critter.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.benchmarks.noop.HandledCount;
import dev.critter.benchmarks.noop.NoopHandler;
import dev.critter.benchmarks.noop.Ping;

/**
 * The baseline: a plain {@link ThreadPoolExecutor} with {@code parallelism} threads and a bounded
 * {@link ArrayBlockingQueue}, whose publisher blocks while the queue is full as Critter's does
 * (a rejection handler that {@code put}s, rather than {@code CallerRunsPolicy}, which would let
 * the publishing thread handle messages itself and flatter the baseline).
 */
final class ExecutorSubject implements ThroughputSubject {

    private final HandledCount handled = new HandledCount();
    private final NoopHandler handler = new NoopHandler(handled);
    private final ThreadPoolExecutor executor;

    /**
     * @param parallelism the number of worker threads
     * @param capacity how many tasks may wait, not counting those running (Critter's meaning too)
     */
    ExecutorSubject(int parallelism, int capacity) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(parallelism, parallelism, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity), task -> {
                    Thread thread = new Thread(task, "raw-executor-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, ExecutorSubject::waitForRoom);
        // With every thread started, execute() only ever offers to the queue, and a full queue
        // means the publisher waits in waitForRoom.
        executor.prestartAllCoreThreads();
    }

    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("The raw executor is shut down");
        }
        try {
            executor.getQueue().put(task);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("Interrupted while waiting for room in the raw executor", ex);
        }
    }

    @Override
    public String name() {
        return "raw executor";
    }

    @Override
    public void publish(Ping ping) {
        executor.execute(() -> handler.handle(ping));
    }

    @Override
    public HandledCount handled() {
        return handled;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException ex) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
