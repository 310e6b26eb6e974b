package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Starts a local queue's worker threads and, at stop, interrupts and joins them. Not thread-safe. */
final class WorkerThreads {

    private static final Log logger = LogFactory.getLog(WorkerThreads.class);

    /** How long to wait for interrupted workers to finish their handler and exit. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private final String queueName;
    private final List<Thread> threads = new ArrayList<>();

    WorkerThreads(String queueName) {
        this.queueName = queueName;
    }

    /** Starts {@code count} daemon platform threads named {@code critter-<queue>-<n>}, n from 1. */
    void start(int count, Runnable loop) {
        for (int n = 1; n <= count; n++) {
            Thread thread = new Thread(loop, "critter-" + queueName + "-" + n);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Interrupts the workers and waits, up to a short grace, for each to exit. A worker calling
     * this itself (a handler stopping its own queue) is skipped rather than joined forever.
     */
    void interruptAndJoin() {
        Thread current = Thread.currentThread();
        for (Thread thread : threads) {
            if (thread != current) {
                thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        boolean interrupted = false;
        for (Thread thread : threads) {
            if (thread == current) {
                continue;
            }
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (!interrupted && remainingMillis > 0) {
                    thread.join(remainingMillis);
                }
            } catch (InterruptedException ex) {
                interrupted = true;
            }
            if (thread.isAlive()) {
                logger.warn("Worker " + thread.getName() + " of local queue '" + queueName
                        + "' did not finish its handler after being interrupted; leaving it behind");
            }
        }
        if (interrupted) {
            current.interrupt();
        }
    }
}
