package dev.critter.time;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The one {@value #THREAD_NAME} thread that ticks a {@link CoarseClock} about every millisecond
 * while it is asked to, started on demand: it ends when the clock says nobody reads the cached
 * value any more (so an idle application has no ticking thread) and a later burst starts a new one.
 */
final class ClockTicker {

    static final String THREAD_NAME = "critter-clock";

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long {@link #stop} waits for the thread to end; it ends at its next wake-up, at once. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final Object lock = new Object();
    private final CoarseClock clock;

    /** The running thread; set under the lock, unset (under the lock) by the thread itself once its cache is cleared. */
    private volatile @Nullable Thread thread;

    /** Once closed, no thread starts again. Set under the lock; volatile for start()'s cheap check. */
    private volatile boolean closed;

    /** @param systemClock the clock to cache, the system clock */
    ClockTicker(Clock systemClock) {
        // The coarse clock starts its own ticker; it cannot call start() before it is published.
        this.clock = new CoarseClock(systemClock, this::start);
    }

    /** The clock this ticker ticks, for the readers. */
    CoarseClock clock() {
        return clock;
    }

    /**
     * Starts the thread unless it runs (or the ticker is closed). Cheap while it runs: one volatile read.
     * A thread that is ending after its last tick still counts as running, so at most one exists at a time.
     */
    void start() {
        if (thread != null || closed) {
            return;
        }
        synchronized (lock) {
            if (closed || thread != null) {
                return;
            }
            // No inherited thread-locals: it is started from whichever thread publishes.
            Thread started = new Thread(null, this::run, THREAD_NAME, 0, false);
            started.setDaemon(true);
            try {
                started.start();
            } catch (OutOfMemoryError | RuntimeException ex) {
                // No thread to be had ("unable to create native thread"): this runs in a publish,
                // which must not fail for an optimisation, nor retry it on every publish. Reads go
                // to the clock from now on, as they would without this class.
                closed = true;
                return;
            }
            // Set once started, so stop() never sees a thread it cannot interrupt yet; the thread
            // cannot end before this is set, as it takes the lock to unset it.
            thread = started;
        }
    }

    /**
     * Stops the thread, if any, and waits until it ended (having cleared the cached value first); a
     * later {@link #start} starts a new one.
     */
    void stop() {
        Thread running = thread;
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread for good: a later {@link #start} does nothing. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        stop();
    }

    /** Whether a thread runs (or is about to end), for tests. */
    boolean running() {
        return thread != null;
    }

    private void run() {
        Thread me = Thread.currentThread();
        try {
            // Interrupted only by stop(): parkNanos returns at once then, and the loop ends.
            while (!me.isInterrupted() && clock.tick()) {
                LockSupport.parkNanos(this, TICK_NANOS);
            }
        } finally {
            // Before the thread counts as gone: whoever starts the next one finds no stale value.
            clock.clear();
            synchronized (lock) {
                if (thread == me) {
                    thread = null;
                }
            }
        }
    }
}
