package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Schedules the transport's recovery work on one daemon thread: a listener's attempts to consume
 * again after its channel or connection was lost (backing off exponentially up to the recovery
 * interval while the broker stays away), and the watchdog that checks every recovery interval
 * that each listener still has an open, consuming channel, so a lost signal cannot leave a
 * listener silently idle.
 */
final class RabbitRecovery {

    private static final Log logger = LogFactory.getLog(RabbitRecovery.class);

    private static final long FIRST_RETRY_MILLIS = 100;

    private final Duration interval;
    private final ExponentialBackOff backOff;
    private final ScheduledThreadPoolExecutor scheduler;

    RabbitRecovery(Duration interval) {
        this.interval = interval;
        this.backOff = new ExponentialBackOff(Math.min(FIRST_RETRY_MILLIS, interval.toMillis()), 2.0);
        this.backOff.setMaxInterval(Math.max(1, interval.toMillis()));
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "critter-rabbitmq-recovery");
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled attempts (after stop) must not stay in the queue.
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Returns the longest pause between two attempts, also the watchdog's period. */
    Duration interval() {
        return interval;
    }

    /** Starts the pauses of one outage: 100 ms, doubling up to the recovery interval. */
    BackOffExecution outage() {
        return backOff.start();
    }

    /** Runs an attempt after a pause; nothing once stopped. */
    void schedule(Runnable attempt, long delayMillis) {
        if (scheduler.isShutdown()) {
            return;
        }
        try {
            scheduler.schedule(guarded(attempt), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            // Stopped meanwhile: the transport no longer recovers anything.
        }
    }

    /** Runs a check every recovery interval until stopped. */
    void every(Runnable check) {
        long period = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(guarded(check), period, period, TimeUnit.MILLISECONDS);
    }

    void stop() {
        scheduler.shutdownNow();
    }

    private static Runnable guarded(Runnable work) {
        // A periodic task that throws is never run again: the watchdog must survive its own failures.
        return () -> {
            try {
                work.run();
            } catch (RuntimeException ex) {
                logger.error("Critter's RabbitMQ recovery step failed; it runs again", ex);
            }
        };
    }
}
