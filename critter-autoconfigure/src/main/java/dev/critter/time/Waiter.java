package dev.critter.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits until an instant of the {@link TimeSource}'s clock, or until {@link #wake()}: the wait
 * of a background loop that new work can end early (db-scheduler's {@code Waiter}). A moved
 * test clock makes it look at the time again.
 */
public final class Waiter {

    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private boolean woken;

    Waiter(TimeSource time) {
        this.time = time;
    }

    /**
     * Waits until the clock reaches {@code due} or {@link #wake()} is called (a wake that came
     * while nobody waited ends the next wait at once).
     * @param due when to return at the latest
     * @throws InterruptedException when the thread is interrupted
     */
    public void awaitUntil(Instant due) throws InterruptedException {
        time.register(this);
        lock.lock();
        try {
            // A clock that does not announce its moves may stand still (Clock.fixed): the wait then
            // also ends when the real time the clock said was left has passed, not never.
            boolean realTimeBound = !time.announcesChanges();
            long start = System.nanoTime();
            long budget = realTimeBound ? nanosUntil(due) : 0;
            while (!woken) {
                long nanos = nanosUntil(due);
                if (realTimeBound) {
                    nanos = Math.min(nanos, budget - (System.nanoTime() - start));
                }
                if (nanos <= 0) {
                    return;
                }
                changed.awaitNanos(nanos);
            }
        } finally {
            woken = false;
            lock.unlock();
            time.unregister(this);
        }
    }

    /** Ends the current (or next) wait early, e.g. because earlier work arrived. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The clock moved: look at the time again. */
    void recheck() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long nanosUntil(Instant due) {
        Duration left = Duration.between(time.now(), due);
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        try {
            return left.toNanos();
        } catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }
}
