package dev.critter.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.critter.Envelope;

import org.jspecify.annotations.Nullable;

/**
 * The state of one running session: which message ids belong to it (lineage from the action's
 * thread), how many deliveries are still open, and which handler failures had no later success.
 */
final class ActiveSession {

    private final long startNanos = System.nanoTime();
    private final Instant deadline;
    private final Thread actionThread;
    private volatile boolean actionRunning = true;
    private final Set<UUID> ids = ConcurrentHashMap.newKeySet();
    private final Set<String> countedScheduled = ConcurrentHashMap.newKeySet();
    private final List<TrackedEvent> events = new ArrayList<>();
    private final Map<String, TrackedEvent> unresolvedFailures = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int open;

    ActiveSession(Thread actionThread, Duration timeout) {
        this.actionThread = actionThread;
        this.deadline = Instant.now().plus(timeout);
    }

    /** Adopts a new message when the action's thread published it or a tracked message caused it. */
    boolean adopt(Envelope envelope) {
        if ((actionRunning && Thread.currentThread() == actionThread)
                || (envelope.causationId() != null && ids.contains(envelope.causationId()))) {
            ids.add(envelope.id());
            return true;
        }
        return ids.contains(envelope.id());
    }

    boolean tracks(Envelope envelope) {
        return ids.contains(envelope.id());
    }

    void record(TrackedEvent.Kind kind, Envelope envelope, String detail, @Nullable Throwable failure, int openDelta) {
        lock.lock();
        try {
            TrackedEvent event = new TrackedEvent(kind, envelope, detail, failure,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            events.add(event);
            open += openDelta;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void executed(Envelope envelope, String chain, @Nullable Throwable failure) {
        String key = envelope.id() + "|" + chain;
        lock.lock();
        try {
            record(failure == null ? TrackedEvent.Kind.EXECUTED : TrackedEvent.Kind.FAILED, envelope,
                    failure == null ? chain : chain + " threw " + failure, failure, 0);
            if (failure == null) {
                unresolvedFailures.remove(key);
            } else {
                unresolvedFailures.put(key, events.get(events.size() - 1));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Counts a scheduled delivery as open only when it is due before the session's deadline. */
    void scheduled(Envelope envelope, String destination) {
        boolean withinTimeout = envelope.scheduledAt() != null && !envelope.scheduledAt().isAfter(deadline);
        if (withinTimeout) {
            countedScheduled.add(envelope.id() + "|" + destination + "|" + envelope.attempts());
        }
        record(TrackedEvent.Kind.SCHEDULED, envelope, destination + " at " + envelope.scheduledAt()
                + (withinTimeout ? "" : " (after the session timeout: not waited for)"), null, withinTimeout ? 1 : 0);
    }

    void scheduledDue(Envelope envelope, String destination) {
        if (countedScheduled.remove(envelope.id() + "|" + destination + "|" + envelope.attempts())) {
            deliveryFinished();
        }
    }

    void deliveryFinished() {
        lock.lock();
        try {
            open--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void actionFinished() {
        lock.lock();
        try {
            actionRunning = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns whether every open delivery finished before the deadline.
     * @return whether every open delivery finished before the deadline
     */
    boolean awaitQuiet() throws InterruptedException {
        lock.lock();
        try {
            while (open > 0) {
                long nanos = Duration.between(Instant.now(), deadline).toNanos();
                if (nanos <= 0) {
                    return false;
                }
                changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int open() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    List<TrackedEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    List<TrackedEvent> unresolvedFailures() {
        lock.lock();
        try {
            return List.copyOf(unresolvedFailures.values());
        } finally {
            lock.unlock();
        }
    }
}
