package dev.critter.durability.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.OutboxRows.RowKey;
import dev.critter.durability.jdbc.OutboxRows.StoredRow;
import dev.critter.transport.Destination;
import dev.critter.transport.EndpointFullException;
import dev.critter.transport.Outbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The outbox's reliable path: an agent that sends the rows the after-commit path did not get
 * accepted. Each pass, every {@code critter.durability.poll-interval} or when woken (rows of a
 * dead node released, a destination's back-off over), it reads this node's own rows left behind
 * (older than a poll interval and not in flight here), claims rows nobody owns in one
 * {@code UPDATE ... (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING} statement, sends them
 * oldest first, and hands the ones their destination holds safely (accepted, and confirmed by a
 * broker that confirms) to the batched delete; rows stay in flight while their confirm is awaited,
 * so no later pass sends them again meanwhile. A destination that refuses (or stops before it confirmed)
 * backs off exponentially (from the poll interval up to {@value #MAX_BACK_OFF_SECONDS} s), and
 * each refused row counts one more {@code send_attempts}; rows stay until accepted. A pass that
 * found a whole batch runs again as soon as a background thread is free.
 *
 * <p>The relay shares the node's few background threads with the heartbeat, so it never waits for
 * room ({@link dev.critter.transport.Endpoint#offer}): a destination that is full right now
 * ({@link EndpointFullException}) keeps its rows, is paused for a poll interval, and its room ends
 * the pause at once and wakes the relay. Full is back-pressure, not a failure: it counts no send
 * attempt and logs at DEBUG.
 */
final class OutboxRelay {

    private static final Log logger = LogFactory.getLog(OutboxRelay.class);

    static final long MAX_BACK_OFF_SECONDS = 60;

    private final JdbcTemplate jdbc;
    private final OutboxRows rows;
    private final UUID self;
    private final DurabilitySettings settings;
    private final BackgroundWork work;
    private final Set<RowKey> inFlight;
    private final Consumer<List<RowKey>> accepted;
    private final ExponentialBackOff backOff;
    private final Map<Destination, Pause> pauses = new ConcurrentHashMap<>();
    private final Map<Destination, Runnable> roomWakers = new ConcurrentHashMap<>();
    private volatile @Nullable Target target;
    private volatile BackgroundWork.@Nullable Agent agent;

    /**
     * @param inFlight rows this node is sending right now (after a commit, or in this relay): never read as left behind
     * @param accepted takes rows whose destination accepted them (the batched delete), and takes them off {@code inFlight}
     */
    OutboxRelay(JdbcTemplate jdbc, OutboxRows rows, UUID self, DurabilitySettings settings, BackgroundWork work,
                Set<RowKey> inFlight, Consumer<List<RowKey>> accepted) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.self = self;
        this.settings = settings;
        this.work = work;
        this.inFlight = inFlight;
        this.accepted = accepted;
        this.backOff = new ExponentialBackOff(settings.pollInterval().toMillis(), 2.0);
        backOff.setMaxInterval(Math.max(settings.pollInterval().toMillis(), MAX_BACK_OFF_SECONDS * 1000));
    }

    /** Starts the agent; it runs once at once (rows a previous run of this service left). */
    synchronized void start(Set<Destination> destinations, Outbox.Sender sender) {
        target = new Target(Set.copyOf(destinations), sender);
        if (agent == null) {
            agent = work.every("outbox relay", settings.pollInterval(), this::relay);
        }
        wake();
    }

    /** Stops sending; a pass in progress ends after the row it is sending. */
    void stop() {
        target = null;
    }

    /** Runs a pass soon, off the calling thread. */
    void wake() {
        BackgroundWork.Agent current = agent;
        if (current != null) {
            current.wake();
        }
    }

    /**
     * A destination refused a message: nothing more goes there until its back-off is over. A
     * destination already waiting keeps its wait (concurrent refusals count once).
     */
    void refused(Destination destination) {
        long now = System.nanoTime();
        Pause pause = pauses.compute(destination, (d, current) -> {
            if (current != null && current.untilNanos() - now > 0) {
                return current;
            }
            BackOffExecution execution = current != null && !current.full() ? current.execution() : backOff.start();
            long millis = execution.nextBackOff();
            if (millis == BackOffExecution.STOP) {
                millis = backOff.getMaxInterval();
            }
            return new Pause(execution, now + Duration.ofMillis(millis).toNanos(), false);
        });
        BackgroundWork.Agent current = agent;
        if (current != null) {
            current.wakeIn(Duration.ofNanos(Math.max(0, pause.untilNanos() - now)));
        }
    }

    /**
     * A destination was full: paused for a poll interval (so a pass that re-reads its rows does
     * not offer them again at once), or until it has room, which wakes the relay.
     */
    private void full(Destination destination, EndpointFullException why) {
        long now = System.nanoTime();
        Pause pause = pauses.compute(destination, (d, current) -> {
            if (current != null && current.untilNanos() - now > 0) {
                return current; // a refusal's back-off runs longer than a full pause
            }
            return new Pause(backOff.start(), now + settings.pollInterval().toNanos(), true);
        });
        if (pause.full()) {
            why.whenRoom(roomWakers.computeIfAbsent(destination, this::roomWaker));
        }
        BackgroundWork.Agent current = agent;
        if (current != null) {
            current.wakeIn(Duration.ofNanos(Math.max(0, pause.untilNanos() - now)));
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Critter outbox relay: " + destination + " is full; its rows stay in the outbox until it has room");
        }
    }

    /** Ends a full destination's pause and runs a pass; one per destination, so registrations never pile up. */
    private Runnable roomWaker(Destination destination) {
        return () -> {
            Pause pause = pauses.get(destination);
            if (pause != null && pause.full() && pauses.remove(destination, pause)) {
                wake();
            }
        };
    }

    private boolean paused(Destination destination, long now) {
        Pause pause = pauses.get(destination);
        return pause != null && pause.untilNanos() - now > 0;
    }

    /**
     * One pass. A pass that found a whole batch wakes the agent again: the next batch runs behind
     * the other background work waiting for a thread (the heartbeat), not in a loop on this one.
     */
    private void relay() {
        if (relayOnce() == settings.batchSize() && target != null) {
            wake();
        }
    }

    private int relayOnce() {
        Target current = target;
        if (current == null) {
            return 0;
        }
        long now = System.nanoTime();
        List<String> open = new ArrayList<>();
        for (Destination destination : current.destinations()) {
            if (!paused(destination, now)) {
                open.add(destination.toString());
            }
        }
        if (open.isEmpty()) {
            return 0;
        }
        int limit = settings.batchSize();
        // Taken into flight first, read after: a row whose after-commit send finished between the
        // listing and the flight check has had its delete committed, so the read no longer finds it.
        List<RowKey> mine = new ArrayList<>();
        for (RowKey key : rows.leftBehind(jdbc, self, open, settings.pollInterval().toNanos() / 1e9, limit)) {
            if (inFlight.add(key)) {
                mine.add(key);
            }
        }
        List<StoredRow> batch;
        try {
            batch = new ArrayList<>(rows.fetch(jdbc, self, mine));
        } catch (RuntimeException ex) {
            mine.forEach(inFlight::remove);
            throw ex;
        }
        if (batch.size() < mine.size()) {
            Set<RowKey> found = new java.util.HashSet<>();
            batch.forEach(row -> found.add(row.key()));
            mine.stream().filter(key -> !found.contains(key)).forEach(inFlight::remove);
        }
        int read = mine.size();
        if (batch.size() < limit) {
            List<StoredRow> claimed = rows.claimUnowned(jdbc, self, open, limit - batch.size());
            claimed.forEach(row -> inFlight.add(row.key()));
            batch.addAll(claimed);
            read += claimed.size();
            if (!claimed.isEmpty() && logger.isDebugEnabled()) {
                logger.debug("Critter outbox relay claimed " + claimed.size() + " row(s) nobody owned");
            }
        }
        send(batch, current.sender());
        return read;
    }

    private void send(List<StoredRow> batch, Outbox.Sender sender) {
        List<RowKey> sent = new ArrayList<>(batch.size());
        List<Confirming> confirming = new ArrayList<>(0);
        List<RowKey> failed = new ArrayList<>();
        Set<Destination> refused = new LinkedHashSet<>();
        for (StoredRow row : batch) {
            RowKey key = row.key();
            if (target == null || refused.contains(row.destination())) {
                // Stays owned by this node, in order: the next pass after the back-off reads it again.
                inFlight.remove(key);
                continue;
            }
            try {
                CompletableFuture<Void> safe = sender.send(row.envelope(), row.destination());
                pauses.remove(row.destination());
                if (safe.isDone() && !safe.isCompletedExceptionally()) {
                    sent.add(key);
                } else {
                    confirming.add(new Confirming(row, safe));
                }
            } catch (EndpointFullException ex) {
                // Stays owned by this node, in order, like the rows behind it for that destination.
                inFlight.remove(key);
                if (refused.add(row.destination())) {
                    full(row.destination(), ex);
                }
            } catch (RuntimeException ex) {
                failed.add(key);
                notSent(row, refused, ex);
            }
        }
        if (!sent.isEmpty()) {
            accepted.accept(sent);
        }
        // Before anything that can fail: rows already handed to their destination must reach the
        // delete once confirmed, or they stay in flight, owned and unsent by this node, until it stops.
        if (!confirming.isEmpty()) {
            whenConfirmed(confirming);
        }
        if (!failed.isEmpty()) {
            countFailures(failed);
        }
    }

    /** Counts failed sends; a count that fails (a database blip) costs only the count. */
    private void countFailures(List<RowKey> failed) {
        try {
            rows.countFailure(jdbc, failed);
        } catch (RuntimeException ex) {
            logger.debug("Critter outbox relay could not count " + failed.size() + " failed send(s)", ex);
        }
    }

    /**
     * Once every row still waiting got its answer, the confirmed ones go to the batched delete
     * together; the others leave flight and stay, for a pass after the back-off.
     */
    private void whenConfirmed(List<Confirming> confirming) {
        CompletableFuture<?>[] all = confirming.stream().map(Confirming::safe).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(all).whenComplete((ignored, anyFailure) -> {
            List<RowKey> confirmed = new ArrayList<>(confirming.size());
            List<RowKey> failed = new ArrayList<>();
            Set<Destination> refused = new LinkedHashSet<>();
            for (Confirming each : confirming) {
                RuntimeException failure = failureOf(each.safe());
                if (failure == null) {
                    confirmed.add(each.row().key());
                } else {
                    failed.add(each.row().key());
                    notSent(each.row(), refused, failure);
                }
            }
            if (!confirmed.isEmpty()) {
                accepted.accept(confirmed);
            }
            if (!failed.isEmpty()) {
                countFailures(failed);
            }
        });
    }

    private void notSent(StoredRow row, Set<Destination> refused, Throwable why) {
        inFlight.remove(row.key());
        if (refused.add(row.destination())) {
            refused(row.destination());
        }
        logger.warn("Critter outbox relay could not send " + row.envelope().messageType() + " "
                + row.envelope().id() + " to " + row.destination() + " (send attempt "
                + (row.sendAttempts() + 1) + "): " + why.getMessage() + "; it stays in the outbox, and "
                + row.destination() + " is tried again after a back-off");
    }

    /** Why a completed future failed, or null when it succeeded. */
    private static @Nullable RuntimeException failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        } catch (CompletionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            return cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(String.valueOf(cause.getMessage()), cause);
        } catch (CancellationException ex) {
            return ex;
        }
    }

    /** A row its destination accepted, waiting for the destination to hold it safely. */
    private record Confirming(StoredRow row, CompletableFuture<Void> safe) {
    }

    private record Target(Set<Destination> destinations, Outbox.Sender sender) {
    }

    /** A destination's pause: a refusal's back-off, or a full destination's wait for room. */
    private record Pause(BackOffExecution execution, long untilNanos, boolean full) {
    }
}
