package dev.critter.durability.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.deadletter.StackTraces;
import dev.critter.durability.BackgroundWork;
import dev.critter.scheduling.MessageScheduler.DueMessageDispatcher;
import dev.critter.transport.Destination;
import dev.critter.transport.EndpointFullException;
import dev.critter.transport.EnvelopeHeaders;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * The agent that delivers due scheduled messages: claims due rows for this node in one
 * statement, hands each to the dispatcher, deletes those their destination accepted (one
 * statement per claim) and gives back the rest. Runs every {@code critter.durability.poll-interval},
 * sooner when woken: by a message scheduled in this process that is due before the next poll,
 * by the earliest waiting row it saw at its last run, by node recovery releasing rows, and by a
 * full destination that has room again.
 *
 * <p>It runs on the node's few background threads, with the heartbeat, so it never waits for
 * room: a destination that is full right now ({@link EndpointFullException}) gets none of this
 * run's rows (they are given back, still due, never dead-lettered), and its room wakes the
 * poller; rows for other destinations go on being delivered.
 */
final class ScheduledMessagePoller {

    private static final Log logger = LogFactory.getLog(ScheduledMessagePoller.class);

    /** No wake planned sooner than the next regular poll. */
    private static final long NONE = Long.MAX_VALUE;

    /** A wake planned less than this before another one is not worth a timer of its own. */
    private static final long WAKE_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** While handing out a claim takes longer than this, accepted rows are deleted as it goes. */
    private static final long DELETE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A run with a backlog hands its thread back after this long. */
    private static final long RUN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ScheduledRows rows;
    private final UUID self;
    private final int batchSize;
    private final Duration pollInterval;
    private final BackgroundWork.Agent agent;
    /** Held by a run; stop takes it to know no run hands out anything any more. */
    private final ReentrantLock running = new ReentrantLock();
    /** {@link System#nanoTime()} of the earliest wake planned, or {@link #NONE}. */
    private final AtomicLong plannedWake = new AtomicLong(NONE);
    /** Rows whose delete or release failed (a database blip): done again at the next run, never left owned by this node. */
    private final List<List<ScheduledRows.Claimed>> leftToDelete = new ArrayList<>();
    private final List<List<ScheduledRows.Claimed>> leftToRelease = new ArrayList<>();
    private final Duration staleAfter;
    private long lastStaleCheck = System.nanoTime();
    private volatile @Nullable DueMessageDispatcher dispatcher;
    private volatile String @Nullable [] destinations;
    private volatile boolean stopped = true;
    /** One object, so a full destination told of it again and again keeps one registration. */
    private final Runnable wakeOnRoom = this::wake;
    /**
     * The size of the next run's first claim: smaller after a destination was full (about twice
     * what it took then), so a run woken by its room does not claim a whole batch to give most of
     * it back at once. Only runs touch it.
     */
    private int firstClaim;
    /** Where rows that can never be delivered go, once; null: given back and logged. */
    private volatile @Nullable Consumer<DeadLetter> deadLetters;
    private volatile Supplier<Instant> now = Instant::now;

    ScheduledMessagePoller(ScheduledRows rows, UUID self, int batchSize, Duration pollInterval, Duration staleAfter,
                           BackgroundWork work) {
        this.rows = rows;
        this.staleAfter = staleAfter;
        this.self = self;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.firstClaim = batchSize;
        this.agent = work.every("scheduled-message poller", pollInterval, this::run);
    }

    void start(DueMessageDispatcher dispatcher, String @Nullable [] destinations) {
        this.dispatcher = dispatcher;
        this.destinations = destinations;
        stopped = false;
        agent.wake();
    }

    /**
     * Sets where rows that can never be delivered (a destination that does not parse) go.
     * @param sink stores a dead letter, committed when it returns
     * @param clock stamps its failure time
     */
    void deadLettersTo(Consumer<DeadLetter> sink, Supplier<Instant> clock) {
        this.deadLetters = sink;
        this.now = clock;
    }

    /** Runs as soon as a thread is free (rows were released, say). */
    void wake() {
        agent.wake();
    }

    /**
     * Makes the poller run when a message is due, if that is before its next regular poll and
     * before any wake already planned. Only a few timers ever wait: one per message that is due
     * sooner than every other one known here.
     * @param delay how long until it is due
     */
    void wakeIn(Duration delay) {
        if (delay.compareTo(pollInterval) >= 0) {
            return; // the next regular poll comes first, and plans again from the table
        }
        long delayNanos = Math.max(0, delay.toNanos());
        long target = System.nanoTime() + delayNanos;
        while (true) {
            long planned = plannedWake.get();
            if (planned != NONE && planned - target <= WAKE_TOLERANCE_NANOS) {
                return;
            }
            if (plannedWake.compareAndSet(planned, target)) {
                agent.wakeIn(Duration.ofNanos(delayNanos));
                return;
            }
        }
    }

    /**
     * Stops handing out messages: a run in progress gives back what it claimed and did not hand
     * out, deletes what was accepted, and ends.
     * @param timeout how long to wait for a run in progress
     * @return whether no run was in progress any more within the timeout
     */
    boolean stop(Duration timeout) {
        stopped = true;
        try {
            if (!running.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            finishLeftovers();
            return leftToDelete.isEmpty() && leftToRelease.isEmpty();
        } finally {
            running.unlock();
        }
    }

    private void run() {
        if (stopped || !running.tryLock()) {
            return;
        }
        try {
            if (stopped) {
                return;
            }
            plannedWake.set(NONE);
            finishLeftovers();
            releaseStaleClaims();
            DueMessageDispatcher target = dispatcher;
            long started = System.nanoTime();
            boolean refused = false;
            Set<String> full = new HashSet<>();
            String @Nullable [] open = destinations;
            int limit = firstClaim;
            firstClaim = batchSize;
            while (!stopped && target != null) {
                List<ScheduledRows.Claimed> claimed = rows.claim(self, limit, open);
                if (claimed.isEmpty()) {
                    break;
                }
                int fullBefore = full.size();
                int accepted = deliver(claimed, target, full);
                if (accepted < 0) {
                    refused = true;
                    break;
                }
                if (full.size() > fullBefore) {
                    firstClaim = Math.max(1, Math.min(batchSize, 2 * accepted));
                }
                if (!full.isEmpty()) {
                    // Full destinations wait for their room (which wakes this poller); the next
                    // claim leaves their rows alone, so it does not take the same rows again.
                    open = without(open, full);
                    if (open == null || open.length == 0) {
                        refused = open == null; // without a list, nothing to claim around them
                        break;
                    }
                }
                if (claimed.size() < limit) {
                    break;
                }
                limit = batchSize;
                if (System.nanoTime() - started > RUN_BUDGET_NANOS) {
                    // More are due: run again behind the work queued meanwhile (a heartbeat), so a
                    // backlog never keeps one of the few background threads to itself.
                    agent.wake();
                    return;
                }
            }
            if (!stopped && !refused && (open == null || open.length > 0)) {
                // After a refusal the next regular poll tries again; a full destination's room wakes it.
                Duration next = rows.untilNextDue(open);
                if (next != null) {
                    wakeIn(next.isNegative() ? Duration.ZERO : next);
                }
            }
        } finally {
            running.unlock();
        }
    }

    /** The destinations left to claim for once the full ones are taken out; null when any destination goes. */
    private static String @Nullable [] without(String @Nullable [] destinations, Set<String> full) {
        if (destinations == null) {
            return null;
        }
        return Arrays.stream(destinations).filter(destination -> !full.contains(destination)).toArray(String[]::new);
    }

    /**
     * Hands claimed rows out in due order. A destination that is full right now gets none of the
     * rest (they are given back, due, in order) and is added to {@code full}; its room wakes the
     * poller. Any other refusal (a stopping destination) stops the handing out, and what is left
     * is given back.
     * @param full destinations found full in this run; rows for them are given back
     * @return how many rows their destinations accepted, or -1 when a destination refused a row for
     *         another reason than being full
     */
    private int deliver(List<ScheduledRows.Claimed> claimed, DueMessageDispatcher target, Set<String> full) {
        List<ScheduledRows.Claimed> accepted = new ArrayList<>(claimed.size());
        List<ScheduledRows.Claimed> left = new ArrayList<>();
        boolean refused = false;
        int acceptedCount = 0;
        long lastDelete = System.nanoTime();
        for (ScheduledRows.Claimed row : claimed) {
            if (!accepted.isEmpty() && System.nanoTime() - lastDelete > DELETE_EVERY_NANOS) {
                // A destination made us wait (full): delete what it took so far, so a crash now
                // delivers again only what was accepted since, not the whole claim.
                delete(new ArrayList<>(accepted));
                accepted.clear();
                lastDelete = System.nanoTime();
            }
            if (refused || stopped || full.contains(row.destination())) {
                left.add(row);
                continue;
            }
            Destination destination;
            try {
                destination = Destination.parse(row.destination());
            } catch (RuntimeException ex) {
                // Never written by Critter, and never deliverable: settled once, as a dead letter
                // (deleted with the accepted rows), rather than claimed and logged at every lease.
                if (deadLetterUnparsable(row, ex)) {
                    accepted.add(row);
                } else {
                    left.add(row);
                }
                continue;
            }
            try {
                target.dispatch(row.envelope(), destination);
                accepted.add(row);
                acceptedCount++;
            } catch (EndpointFullException ex) {
                full.add(row.destination());
                left.add(row);
                ex.whenRoom(wakeOnRoom);
                if (logger.isDebugEnabled()) {
                    logger.debug("Critter: " + row.destination() + " is full; scheduled " + row.envelope().messageType()
                            + " " + row.id() + " stays due and is delivered once it has room");
                }
            } catch (RuntimeException ex) {
                refused = true;
                left.add(row);
                logger.warn("Critter: " + row.destination() + " refused scheduled " + row.envelope().messageType() + " "
                        + row.id() + " for now; it stays scheduled and is tried again at the next poll (within "
                        + NodeRecovery.text(pollInterval) + "): " + ex);
            }
        }
        delete(accepted);
        release(left);
        return refused ? -1 : acceptedCount;
    }

    /**
     * Moves a row whose destination does not parse to the dead letters, the reason named.
     * @return whether it is a dead letter now (its row may go); false gives the row back to try again
     */
    private boolean deadLetterUnparsable(ScheduledRows.Claimed row, RuntimeException problem) {
        Consumer<DeadLetter> sink = deadLetters;
        String reason = "Scheduled row " + row.id() + " has a destination that does not parse ('" + row.destination()
                + "'): " + problem.getMessage();
        if (sink == null) {
            logger.error("Critter: " + reason + "; no dead-letter store to move it to, so it is given back and "
                    + "stays in critter_scheduled_envelopes for a person to delete");
            return false;
        }
        Envelope envelope = row.envelope();
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, row.destination(),
                envelope.headers().get(EnvelopeHeaders.CHAIN_ID), problem.getClass().getName(),
                "Not delivered: " + reason, StackTraces.shorten(stackTrace(problem)), now.get());
        try {
            sink.accept(letter);
        } catch (RuntimeException ex) {
            logger.warn("Critter: " + reason + "; could not move it to the dead letters, tried again at the next "
                    + "poll: " + ex.getMessage());
            return false;
        }
        logger.error("Critter: " + reason + "; moved to the dead letters (dead letter " + letter.id() + ")");
        return true;
    }

    private static String stackTrace(Throwable problem) {
        java.io.StringWriter text = new java.io.StringWriter();
        problem.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    private void delete(List<ScheduledRows.Claimed> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        try {
            rows.delete(self, accepted);
        } catch (DataAccessException ex) {
            // Delivered: it must not be delivered again, so the delete is retried, not the row released.
            leftToDelete.add(accepted);
            logger.warn("Critter: could not delete " + accepted.size() + " delivered scheduled row(s); trying again "
                    + "at the next poll: " + ex.getMessage());
        }
    }

    private void release(List<ScheduledRows.Claimed> left) {
        if (left.isEmpty()) {
            return;
        }
        try {
            rows.release(self, left);
        } catch (DataAccessException ex) {
            leftToRelease.add(left);
            logger.warn("Critter: could not give back " + left.size() + " undelivered scheduled row(s); trying again "
                    + "at the next poll (or node recovery releases them): " + ex.getMessage());
        }
    }

    /**
     * Between runs this node holds no claim (a run hands out or gives back all it claimed), so a
     * row still owned by it long after its claim is one whose claim result was lost.
     */
    private void releaseStaleClaims() {
        long now = System.nanoTime();
        if (!leftToDelete.isEmpty() || now - lastStaleCheck < staleAfter.toNanos()) {
            return;
        }
        lastStaleCheck = now;
        int released = rows.releaseStale(self, staleAfter);
        if (released > 0) {
            logger.warn("Critter: gave back " + released + " scheduled row(s) this node claimed more than "
                    + NodeRecovery.text(staleAfter) + " ago without receiving them (a lost connection?)");
        }
    }

    private void finishLeftovers() {
        List<List<ScheduledRows.Claimed>> deletes = new ArrayList<>(leftToDelete);
        List<List<ScheduledRows.Claimed>> releases = new ArrayList<>(leftToRelease);
        leftToDelete.clear();
        leftToRelease.clear();
        deletes.forEach(this::delete);
        releases.forEach(this::release);
    }
}
