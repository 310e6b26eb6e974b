package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.critter.Envelope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * All local queues of one application, started and stopped as one.
 *
 * <p>A stop has two phases. First every queue refuses outside publishers while handlers may still
 * send to any queue, and the group waits until every queue is idle at the same moment (nothing
 * queued, nothing in flight, anywhere): a handler draining on one queue can cascade onto another
 * queue that was already empty, and that cascade is handled. Then, or when the timeout passed, the
 * queues terminate: their workers exit, and handlers still running are interrupted and named in a
 * warning. A queue that terminated on its own while another still drained would refuse such
 * cascades as "stopped".
 *
 * <p>"Idle at the same moment" is checked without a group-wide lock on the hot path: while
 * draining, every send and every finish bumps a change counter; the drain reads the counter, checks
 * each queue, and trusts an all-idle result only when the counter did not move meanwhile. A message
 * can only appear in an idle queue through a handler that was running during the check, and that
 * handler's queue was then not idle.
 */
public final class LocalQueues {

    private static final Log logger = LogFactory.getLog(LocalQueues.class);

    private final List<LocalQueue> queues;
    private final AtomicLong changes = new AtomicLong();
    private final Object drainMonitor = new Object();

    /**
     * Creates the queues.
     * @param queues the queues of the group, in the order they are reported
     */
    public LocalQueues(Collection<LocalQueue> queues) {
        this.queues = List.copyOf(queues);
    }

    /**
     * Returns the queues, in the order given.
     * @return the queues, in the order given
     */
    public List<LocalQueue> queues() {
        return queues;
    }

    /** Starts every queue. */
    public void start() {
        queues.forEach(LocalQueue::start);
    }

    /**
     * Stops every queue in two phases (see the class comment) and logs at INFO what it waits for,
     * and at WARN what it abandons. Blocks for up to {@code timeout}, plus a short grace for
     * interrupted handlers to exit.
     * @param timeout how long to let queued and in-flight envelopes finish
     * @param handlerOf names the handler of an envelope, for the report of abandoned messages
     * @return what the stop left behind
     */
    public Outcome stop(Duration timeout, Function<Envelope, String> handlerOf) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handlerOf, "handlerOf");
        logStart(timeout);
        boolean drained = drain(timeout);
        List<String> abandoned = new ArrayList<>();
        if (!drained) {
            for (LocalQueue queue : queues) {
                for (Envelope envelope : queue.inFlightEnvelopes()) {
                    abandoned.add("handler " + handlerOf.apply(envelope) + ", " + envelope.messageType() + " "
                            + envelope.id() + " (queue '" + queue.settings().name() + "')");
                }
            }
            if (!abandoned.isEmpty()) {
                logger.warn("Critter stopped waiting after " + format(timeout) + " (critter.shutdown-timeout) and "
                        + "interrupts " + abandoned.size() + " message(s) still being handled:\n  "
                        + String.join("\n  ", abandoned));
            }
        }
        int unhandled = 0;
        for (LocalQueue queue : queues) {
            unhandled += queue.terminate();
        }
        return new Outcome(drained, abandoned.size(), unhandled);
    }

    /**
     * What a stop left behind.
     * @param drained whether every queue became idle before the timeout
     * @param abandonedInFlight how many handlers were still running at the timeout (interrupted)
     * @param unhandledQueued how many envelopes were still queued when the queues terminated
     */
    public record Outcome(boolean drained, int abandonedInFlight, int unhandledQueued) {
    }

    /**
     * First phase: refuses outside publishers and waits until every queue is idle at once.
     * @return whether the queues became idle before the timeout
     */
    boolean drain(Duration timeout) {
        Runnable watcher = this::changed;
        for (LocalQueue queue : queues) {
            queue.beginDrain(watcher);
        }
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        try {
            while (true) {
                long seen = changes.get();
                if (allIdle() && changes.get() == seen) {
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                synchronized (drainMonitor) {
                    if (changes.get() == seen) {
                        // Bounded, so a drain also ends by itself should a change ever go unseen.
                        TimeUnit.NANOSECONDS.timedWait(drainMonitor, Math.min(remaining,
                                TimeUnit.MILLISECONDS.toNanos(100)));
                    }
                }
            }
        } catch (InterruptedException ex) {
            // Terminate without further draining, and let the caller see it was interrupted.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean allIdle() {
        for (LocalQueue queue : queues) {
            if (!queue.isIdle()) {
                return false;
            }
        }
        return true;
    }

    /** Called under a queue's lock on every send and finish while draining. */
    private void changed() {
        changes.incrementAndGet();
        synchronized (drainMonitor) {
            drainMonitor.notifyAll();
        }
    }

    private void logStart(Duration timeout) {
        List<String> busy = new ArrayList<>();
        for (LocalQueue queue : queues) {
            int running = queue.inFlight();
            int queued = queue.depth();
            if (running > 0 || queued > 0) {
                busy.add("'" + queue.settings().name() + "' " + running + " running, " + queued + " queued");
            }
        }
        if (busy.isEmpty()) {
            logger.info("Critter is stopping; its local queues are idle");
        } else {
            logger.info("Critter is stopping, waiting up to " + format(timeout) + " (critter.shutdown-timeout): "
                    + String.join("; ", busy));
        }
    }

    /**
     * Returns e.g. {@code 30s} or {@code 300ms}.
     * @return e.g. {@code 30s} or {@code 300ms}
     */
    static String format(Duration duration) {
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException ex) {
            return duration.toString();
        }
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException ex) {
            return Long.MAX_VALUE / 2;
        }
    }
}
