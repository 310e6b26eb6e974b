package dev.critter.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Scheduled messages kept in memory, on one timer thread; bounded by a capacity. Lost on
 * shutdown (reported by count): use PostgreSQL durability to keep them.
 */
public final class InMemoryMessageScheduler implements MessageScheduler {

    private static final Log logger = LogFactory.getLog(InMemoryMessageScheduler.class);

    private final int capacity;
    private final Clock clock;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer;
    private final List<Pending> beforeStart = new ArrayList<>();
    private volatile DueMessageDispatcher dispatcher;

    /**
     * @param capacity how many messages may wait at once, at least 1
     * @param clock the clock due times are measured on
     */
    public InMemoryMessageScheduler(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("scheduler capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "critter-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void schedule(Envelope envelope, String destination) {
        Instant due = Objects.requireNonNull(envelope.scheduledAt(), "envelope.scheduledAt");
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            throw new IllegalStateException("In-memory scheduler is full (" + capacity + " messages waiting); "
                    + envelope.messageType() + " " + envelope.id() + " was not accepted. Raise "
                    + "critter.scheduling.in-memory-capacity or add PostgreSQL durability");
        }
        Pending entry = new Pending(envelope, destination);
        synchronized (beforeStart) {
            if (dispatcher == null) {
                beforeStart.add(entry);
                return;
            }
        }
        submit(entry, due);
    }

    private void submit(Pending entry, Instant due) {
        long delayNanos = Math.max(0, Duration.between(clock.instant(), due).toNanos());
        try {
            timer.schedule(() -> fire(entry), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ex) {
            // Counted when accepted; a task the timer refuses will never fire to uncount it.
            pending.decrementAndGet();
            throw new IllegalStateException("In-memory scheduler is stopped; " + entry.envelope.messageType() + " "
                    + entry.envelope.id() + " was not accepted", ex);
        }
    }

    private void fire(Pending entry) {
        pending.decrementAndGet();
        try {
            dispatcher.dispatch(entry.envelope, entry.destination);
        } catch (RuntimeException ex) {
            logger.error("Could not deliver scheduled " + entry.envelope.messageType() + " " + entry.envelope.id()
                    + " to " + entry.destination, ex);
        }
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public void start(DueMessageDispatcher dispatcher) {
        List<Pending> waiting;
        synchronized (beforeStart) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            waiting = new ArrayList<>(beforeStart);
            beforeStart.clear();
        }
        for (Pending p : waiting) {
            try {
                submit(p, Objects.requireNonNull(p.envelope.scheduledAt()));
            } catch (IllegalStateException ex) {
                logger.error("Scheduled " + p.envelope.messageType() + " " + p.envelope.id() + " was lost", ex);
            }
        }
    }

    @Override
    public void stop(Duration timeout) {
        int left = timer.shutdownNow().size();
        try {
            timer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (left > 0) {
            logger.warn(left + " scheduled messages held in memory were not delivered before shutdown");
        }
    }

    private record Pending(Envelope envelope, String destination) {
    }
}
