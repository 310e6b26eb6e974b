package dev.critter.durability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groups writes made outside a user's transaction (handled marks, deletes after a send, inbox
 * inserts) into multi-row statements: callers add items, one agent on {@link BackgroundWork}
 * writes up to {@code batchSize} of them per statement. Throughput then comes from rows per
 * commit, not from connections (one commit per message caps a machine at its fsync rate).
 * Bounded: {@link #add} waits while {@code capacity} items are pending, which is the back-pressure
 * of a database that cannot keep up. Whatever a batch's write throws fails that batch's callers
 * only; the batcher goes on with the next batch.
 * @param <T> what one row is made from
 */
public final class Batcher<T> {

    /** Writes one batch, in one transaction. */
    @FunctionalInterface
    public interface Writer<T> {

        /**
         * Writes the items.
         * @param items at most the batch size, in the order they were added
         */
        void write(List<T> items);
    }

    private record Pending<T>(T item, CompletableFuture<Void> written) {
    }

    private final String name;
    private final int batchSize;
    private final int capacity;
    private final Duration addTimeout;
    private final Writer<T> writer;
    private final BackgroundWork.Agent agent;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayList<Pending<T>> pending = new ArrayList<>();

    /**
     * Creates the batcher and its agent.
     * @param name what it writes, for the log and errors
     * @param work the background threads
     * @param batchSize most items per statement
     * @param capacity most items pending before {@link #add} waits
     * @param addTimeout how long {@link #add} waits for room before it throws
     * @param writer writes one batch
     */
    public Batcher(String name, BackgroundWork work, int batchSize, int capacity, Duration addTimeout, Writer<T> writer) {
        if (batchSize < 1 || capacity < batchSize) {
            throw new IllegalArgumentException("batchSize must be at least 1 and at most capacity");
        }
        this.name = name;
        this.batchSize = batchSize;
        this.capacity = capacity;
        this.addTimeout = addTimeout;
        this.writer = writer;
        // The interval only catches items added while the agent was ending a run; add() wakes it.
        this.agent = work.every(name, Duration.ofMillis(200), this::drain);
    }

    /**
     * Adds an item to the next batch.
     * @param item the item
     * @return completes when its batch committed, or exceptionally with the writer's error
     * @throws IllegalStateException when no room came within the add timeout (the database is behind)
     */
    public CompletableFuture<Void> add(T item) {
        return addAll(List.of(item));
    }

    /**
     * Adds items to the next batches, in order.
     * @param items the items
     * @return completes when all were written, or exceptionally when a batch failed
     * @throws IllegalStateException when no room came within the add timeout (the database is behind)
     */
    public CompletableFuture<Void> addAll(Collection<T> items) {
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>(items.size());
        lock.lock();
        try {
            long nanos = addTimeout.toNanos();
            for (T item : items) {
                while (pending.size() >= capacity) {
                    if (nanos <= 0) {
                        throw new IllegalStateException("Critter durability: " + name + " has " + capacity
                                + " writes pending for " + addTimeout + "; the database is not keeping up");
                    }
                    agent.wake();
                    nanos = notFull.awaitNanos(nanos);
                }
                CompletableFuture<Void> written = new CompletableFuture<>();
                pending.add(new Pending<>(item, written));
                futures.add(written);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to write " + name, ex);
        } finally {
            lock.unlock();
        }
        agent.wake();
        return futures.size() == 1 ? futures.get(0) : CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /**
     * Returns how many items wait to be written.
     * @return how many items wait to be written
     */
    public int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writes everything pending now, in batches, on the calling thread (the agent's, or shutdown's). */
    public void drain() {
        while (true) {
            List<Pending<T>> batch;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    return;
                }
                int n = Math.min(batchSize, pending.size());
                List<Pending<T>> head = pending.subList(0, n);
                batch = new ArrayList<>(head);
                head.clear();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
            List<T> items = new ArrayList<>(batch.size());
            batch.forEach(p -> items.add(p.item()));
            try {
                writer.write(items);
                batch.forEach(p -> p.written().complete(null));
            } catch (Throwable ex) {
                // Whatever the writer threw (an Error, a checked exception sneaked through) fails
                // this batch's callers, who would otherwise wait for a write that never comes, and
                // the batches after it are still written.
                batch.forEach(p -> p.written().completeExceptionally(ex));
                if (ex instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (ex instanceof VirtualMachineError fatal) {
                    throw fatal; // the JVM is in trouble: the agent logs it and runs again
                }
            }
        }
    }

    /**
     * Waits for a write to commit, as a caller that must not go on before it does.
     * @param written what {@link #add} returned
     * @param timeout how long to wait
     * @throws IllegalStateException when the write failed or did not commit in time
     */
    public static void await(CompletableFuture<Void> written, Duration timeout) {
        try {
            written.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a durable write", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            Throwable cause = ex.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Durable write failed: " + cause, cause);
        } catch (java.util.concurrent.TimeoutException ex) {
            throw new IllegalStateException("A durable write did not commit within " + timeout, ex);
        }
    }
}
