package dev.critter.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

import dev.critter.Envelope;
import dev.critter.time.TimeSource;
import dev.critter.time.Waiter;
import dev.critter.transport.Destination;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Scheduled messages kept in memory and delivered by one thread ({@code critter-scheduler})
 * that waits on the {@link TimeSource}'s clock for the earliest due time; bounded by a capacity.
 * Lost on shutdown (reported by count): use PostgreSQL durability to keep them.
 */
public final class InMemoryMessageScheduler implements MessageScheduler {

    private static final Log logger = LogFactory.getLog(InMemoryMessageScheduler.class);

    private final int capacity;
    private final TimeSource time;
    private final Waiter waiter;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock. Ties on the due time keep the order of scheduling.
    private final PriorityQueue<Pending> waiting = new PriorityQueue<>(
            Comparator.comparing(Pending::due).thenComparingLong(Pending::sequence));
    private long sequence;
    private boolean stopped;
    private @Nullable Thread thread;
    private volatile @Nullable DueMessageDispatcher dispatcher;

    /**
     * Creates the scheduler.
     * @param capacity how many messages may wait at once, at least 1
     * @param time the time source due times are measured and waited on
     */
    public InMemoryMessageScheduler(int capacity, TimeSource time) {
        if (capacity < 1) {
            throw new IllegalArgumentException("scheduler capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.time = Objects.requireNonNull(time, "time");
        this.waiter = time.newWaiter();
    }

    @Override
    public void schedule(Envelope envelope, Destination destination) {
        Instant due = Objects.requireNonNull(envelope.scheduledAt(), "envelope.scheduledAt");
        boolean earliest;
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("In-memory scheduler is stopped; " + envelope.messageType() + " "
                        + envelope.id() + " was not accepted");
            }
            if (waiting.size() >= capacity) {
                throw new IllegalStateException("In-memory scheduler is full (" + capacity + " messages waiting); "
                        + envelope.messageType() + " " + envelope.id() + " was not accepted. Raise "
                        + "critter.scheduling.in-memory-capacity or add PostgreSQL durability");
            }
            Pending entry = new Pending(envelope, destination, due, sequence++, realDue(due));
            waiting.add(entry);
            earliest = waiting.peek() == entry;
        } finally {
            lock.unlock();
        }
        if (earliest) {
            waiter.wake();
        }
    }

    @Override
    public int pending() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start(DueMessageDispatcher dispatcher) {
        lock.lock();
        try {
            if (thread != null || stopped) {
                return;
            }
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            Thread loop = new Thread(this::deliverDue, "critter-scheduler");
            loop.setDaemon(true);
            thread = loop;
            loop.start();
        } finally {
            lock.unlock();
        }
    }

    /** The delivery loop: hand over everything due, then wait for the next due time or new work. */
    private void deliverDue() {
        while (true) {
            Pending next;
            Instant nextDue = null;
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                next = waiting.peek();
                if (next != null && isDue(next)) {
                    waiting.poll();
                } else {
                    nextDue = next != null ? next.due() : Instant.MAX;
                    next = null;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                fire(next);
                continue;
            }
            try {
                waiter.awaitUntil(nextDue);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void fire(Pending entry) {
        try {
            Objects.requireNonNull(dispatcher).dispatch(entry.envelope(), entry.destination());
        } catch (RuntimeException ex) {
            logger.error("Could not deliver scheduled " + entry.envelope().messageType() + " " + entry.envelope().id()
                    + " to " + entry.destination(), ex);
        }
    }

    @Override
    public void stop(Duration timeout) {
        Thread loop;
        int left;
        lock.lock();
        try {
            stopped = true;
            loop = thread;
            left = waiting.size();
            waiting.clear();
        } finally {
            lock.unlock();
        }
        waiter.wake();
        if (loop != null && loop != Thread.currentThread()) {
            try {
                loop.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (left > 0) {
            logger.warn(left + " scheduled messages held in memory were not delivered before shutdown");
        }
    }

    /**
     * A clock that does not announce its moves may stand still (a {@code Clock.fixed} bean): a
     * message is then also due once the real time its delay asked for has passed, not never.
     * @return the {@link System#nanoTime()} it is due at, or 0 when the clock's moves are heard
     */
    private long realDue(Instant due) {
        if (time.announcesChanges()) {
            return 0;
        }
        long delay;
        try {
            delay = Math.max(0, Duration.between(time.now(), due).toNanos());
        } catch (ArithmeticException ex) {
            delay = Long.MAX_VALUE / 2;
        }
        return System.nanoTime() + Math.min(delay, Long.MAX_VALUE / 2);
    }

    private boolean isDue(Pending entry) {
        if (!entry.due().isAfter(time.now())) {
            return true;
        }
        return !time.announcesChanges() && System.nanoTime() - entry.realDue() >= 0;
    }

    private record Pending(Envelope envelope, Destination destination, Instant due, long sequence, long realDue) {
    }
}
