package dev.critter.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.QueueFullException;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EndpointFullException;
import dev.critter.transport.EnvelopeReceiver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A bounded in-memory queue whose own worker threads hand each envelope to an
 * {@link EnvelopeReceiver}: in parallel, strictly in order, or in order per key
 * ({@link LocalQueueMode}). Workers start on demand, up to the parallelism, and retire when idle
 * ({@link WorkerSettings}); the most recently idle worker is woken first (each idle worker waits
 * on a condition of its own), so the others retire.
 *
 * <p>Capacity bounds the waiting envelopes. Publishers outside handlers block while the queue is
 * full and get a {@link QueueFullException} after the publish timeout; background senders
 * ({@link #offer}) are refused at once and may ask to be told when room appears; sends from
 * running handlers never block (a handler cascading onto its own full queue would otherwise
 * deadlock) and are admitted above capacity, counted, and reported in a rate-limited warning. A
 * {@link DurableLocalQueue} reserves room for an outside publisher before it stores the row, so
 * publishers racing for the last room never overshoot: waiting envelopes plus reserved room never
 * exceed capacity through outside publishers.
 *
 * <p>One {@link ReentrantLock} guards everything, with conditions for idle workers and blocked
 * publishers; a draining {@link #stop} is told of every change by a watcher. A worker finishes one envelope and takes the next in a
 * single lock acquisition, so the hot path costs what an {@code ArrayBlockingQueue} costs. Under a
 * backlog a worker of a parallel or sequential queue also takes its fair share of what waits, up
 * to {@value #MAX_AHEAD} envelopes, and runs them without the lock; an idle sibling takes the next
 * of them from it rather than wait behind a slow handler. A worker that finds nothing spins for a
 * moment outside the lock ({@link WorkerSettings#spin()}); a sender that finds it spinning claims
 * the envelope for it under the lock and hands it over through a volatile field, instead of
 * unparking a thread. While every worker of such a queue is busy and it is at most half full,
 * sends skip the lock: they append to an express lane with a monitor of its own, which a worker
 * whose buffer runs low moves into it whole; the lane closes before a worker spins or parks.
 */
public final class LocalQueue implements Endpoint {

    private static final Log logger = LogFactory.getLog(LocalQueue.class);

    /** At most one over-capacity warning per queue in this interval, however many messages. */
    private static final long OVER_CAPACITY_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * The most envelopes a worker takes ahead, besides the one it starts, in one lock acquisition.
     * Each lock round trip costs a cross-core hand-over of the lock, and often a wake-up of the
     * thread queued behind it; a batch shares that cost out. Small enough that a batch is a moment
     * of work, and siblings take from it when they run dry.
     */
    static final int MAX_AHEAD = 15;

    /** {@link Worker#aheadNext}: claimed by the worker without the lock, and by idle siblings under it. */
    private static final VarHandle AHEAD_NEXT;
    /** {@link EnvelopeBuffer.Claim#current}: written by a worker running ahead without the lock. */
    private static final VarHandle CURRENT;

    static {
        try {
            AHEAD_NEXT = MethodHandles.lookup().findVarHandle(Worker.class, "aheadNext", int.class);
            CURRENT = MethodHandles.privateLookupIn(EnvelopeBuffer.Claim.class, MethodHandles.lookup())
                    .findVarHandle(EnvelopeBuffer.Claim.class, "current", Envelope.class);
        } catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private enum State { NEW, RUNNING, DRAINING, TERMINATED }

    /** Who admitted an envelope above capacity, as the warning names them. */
    enum Overflow {
        /** A running handler's cascades and requeues (and in-memory scheduled messages coming due). */
        HANDLERS("handlers' messages"),
        /** Rows a committed transaction stored in a durable queue while it had room, queued once it committed. */
        COMMITTED("messages of committed transactions"),
        /** A broker's deliveries stored in a batch by a durable listener's queue, after it waited for room. */
        RECEIVED("received messages stored in a batch");

        private final String text;

        Overflow(String text) {
            this.text = text;
        }
    }

    private final LocalQueueSettings settings;
    private final EnvelopeReceiver receiver;
    private final Destination destination;
    private final String address;
    private final int capacity;
    private final long publishTimeoutNanos;
    private final EnvelopeBuffer buffer;
    /** The buffer when it is one FIFO (parallel and sequential queues): only then do workers take ahead. */
    private final @Nullable FifoBuffer fifo;
    private final boolean durable;

    /**
     * Where sends go without the queue's lock while every worker is busy and the queue is at most
     * half full ({@link #tryExpress}); a worker whose buffer runs low moves what it holds into the
     * buffer, whole and in order. Publisher and workers then meet on the lock once per batch, not
     * once per message. {@code null} for partitioned queues (a key picks the worker, under the lock) and
     * durable ones (they reserve room per row).
     */
    private final @Nullable ExpressLane express;
    /** Where tests widen the express lane's races; set before the queue starts. */
    private RaceHooks raceHooks = RaceHooks.NONE;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();

    // Guarded by lock.
    private State state = State.NEW;
    private boolean workersStarted;
    /** Volatile so that a spinning worker, which holds no lock, sees it at once. */
    private volatile boolean workersMustExit;
    private int inFlight;
    /**
     * Envelopes workers took ahead and have not accounted for yet, started or not: an upper bound
     * of the room they use ({@link #queued()} counts only those not started, as if they waited in
     * the buffer). Their owner subtracts those it started when it comes back for more (at once
     * while room is wanted), a sibling the one it takes over.
     */
    private int ahead;
    private int blockedPublishers;
    /**
     * Whether a publisher waits for room, or a room watcher wants to hear of it; read without the
     * lock by a worker running ahead, which then takes the lock as it starts each envelope, to
     * wake the publisher or tell the watchers, instead of at the end of its batch. Set before
     * the count of unstarted envelopes is read, and read by a worker after it claimed one: either
     * the count sees the start or the worker sees the flag.
     */
    private volatile boolean roomWanted;
    /** Room outside publishers took before storing their envelope (a durable queue's row): not queued yet. */
    private int reserved;
    /** Told once when room appears, after an {@link #offer} was refused; a set, so re-registering piles nothing up. */
    private final LinkedHashSet<Runnable> roomWatchers = new LinkedHashSet<>();
    /** The live workers; a worker's slot is its thread's number minus one. */
    private final List<Worker> live = new ArrayList<>();
    private final boolean[] slotTaken;
    /** Workers waiting for work, the most recently idle first: it is woken first, so the others retire. */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    /** The worker spinning for the next envelope instead of parking, if any: a sender hands it over without a wake-up. */
    private @Nullable Worker spinner;
    /**
     * Whether the last spin got an envelope, or a parked worker was woken within a spin's time:
     * only then does an idle worker spin, so a queue whose messages come further apart than a
     * spin wastes one spin per lull, not one per message.
     */
    private boolean spinPaysOff = true;
    private long overCapacityAdmissions;
    /** Envelopes handed to a spinning worker, since creation. */
    private long handOffs;
    private long lastOverCapacityWarning;
    private @Nullable Overflow lastOverflow;
    /** Told of every send and finish while draining, so a group drain sees each change. */
    private @Nullable Runnable drainWatcher;

    /** Serialises start and stop, which may block, without holding the queue's lock. */
    private final Object lifecycle = new Object();
    // Guarded by lifecycle.
    private int unhandledAtStop;

    private final WorkerThreads workers;
    private final long idleTimeoutNanos;
    /** How long a worker that found nothing spins before parking, see {@link WorkerSettings#spin()}. */
    private final long spinNanos;
    /** Virtual threads do not spin: a spinning virtual thread would hold its carrier. */
    private final boolean spinningAllowed;
    /** How many workers may spin at once, across queues. */
    private final SpinPermits spinPermits;

    /**
     * Creates a queue whose workers are platform threads that retire after
     * {@link WorkerSettings#DEFAULT_IDLE_TIMEOUT}; no thread runs until {@link #start()}, but
     * envelopes may be sent already.
     * @param settings the queue's settings
     * @param receiver the pipeline entry each envelope is handed to
     */
    public LocalQueue(LocalQueueSettings settings, EnvelopeReceiver receiver) {
        this(settings, receiver, WorkerSettings.defaults());
    }

    /**
     * Creates a queue; no thread runs until {@link #start()}, but envelopes may be sent already.
     * @param settings the queue's settings
     * @param receiver the pipeline entry each envelope is handed to
     * @param workerSettings how workers are created and when they retire
     */
    public LocalQueue(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workerSettings) {
        this(settings, receiver, workerSettings, false);
    }

    /**
     * Creates a queue whose envelopes may also be kept in the inbox (a {@link DurableLocalQueue}'s memory).
     * @param durable whether what is left at a stop stays in the database (only the log says so)
     */
    LocalQueue(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workerSettings, boolean durable) {
        this(settings, receiver, workerSettings, durable, SpinPermits.SHARED);
    }

    /**
     * Creates a queue whose workers spin only with a permit of {@code spinPermits}.
     * @param spinPermits how many workers may spin at once, shared with other queues
     */
    LocalQueue(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workerSettings, boolean durable,
               SpinPermits spinPermits) {
        this.spinPermits = Objects.requireNonNull(spinPermits, "spinPermits");
        this.durable = durable;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(workerSettings, "workerSettings");
        this.destination = new Destination(LocalTransport.SCHEME, settings.name());
        this.address = destination.toString();
        this.capacity = settings.capacity();
        this.publishTimeoutNanos = saturatedNanos(settings.publishTimeout());
        this.workers = new WorkerThreads(settings.name(), workerSettings.virtualThreads());
        this.idleTimeoutNanos = saturatedNanos(workerSettings.idleTimeout());
        this.spinNanos = saturatedNanos(workerSettings.spin());
        this.spinningAllowed = spinNanos > 0 && !workers.virtual();
        this.slotTaken = new boolean[settings.parallelism()];
        Function<Envelope, @Nullable Object> partitionKey = settings.partitionKey();
        this.fifo = (settings.mode() == LocalQueueMode.PARTITIONED && partitionKey != null)
                ? null : new FifoBuffer(capacity);
        this.buffer = fifo != null ? fifo : new PartitionedBuffer(Objects.requireNonNull(partitionKey));
        this.express = fifo != null && !durable && capacity >= 4 ? new ExpressLane(capacity) : null;
    }

    /**
     * Returns this queue's destination.
     * @return {@code local} and the queue name
     */
    @Override
    public Destination destination() {
        return destination;
    }

    /**
     * Returns this queue's address.
     * @return {@code local://} followed by the queue name
     */
    @Override
    public String address() {
        return address;
    }

    /**
     * Returns the settings this queue was created with.
     * @return the settings
     */
    public LocalQueueSettings settings() {
        return settings;
    }

    /**
     * Starts the queue. Workers, named {@code critter-<name>-<n>}, start on demand: one for each
     * message waiting while no worker is free, up to {@code parallelism}; each retires after the
     * idle timeout. Messages sent before the start get their workers now. Does nothing when
     * already running.
     * @throws IllegalStateException when the queue was stopped; a stopped queue does not restart
     */
    public void start() {
        synchronized (lifecycle) {
            List<Worker> needed = new ArrayList<>();
            lock.lock();
            try {
                if (state == State.RUNNING) {
                    return;
                }
                if (state != State.NEW) {
                    throw new IllegalStateException("Local queue '" + settings.name()
                            + "' was stopped and cannot be started again");
                }
                state = State.RUNNING;
                workersStarted = true;
                int waiting = Math.min(buffer.size(), settings.parallelism());
                for (int i = 0; i < waiting; i++) {
                    needed.add(reserveWorker());
                }
            } finally {
                unlock();
            }
            needed.forEach(this::launch);
        }
    }

    /**
     * Accepts an envelope for handling by this queue's workers.
     * @param envelope the envelope
     * @param fromHandler {@code true} for a running handler's cascades and requeues: admitted at
     *                    once even above capacity; {@code false} for outside publishers, who wait
     *                    while the queue is full
     * @throws QueueFullException when an outside publisher found no room within the publish timeout
     * @throws IllegalStateException when the queue is stopping or stopped (handlers may still send
     *                               while it drains), or the waiting publisher was interrupted
     */
    @Override
    public void send(Envelope envelope, boolean fromHandler) {
        put(envelope, fromHandler ? Intake.ABOVE_CAPACITY : Intake.WAIT, Overflow.HANDLERS);
    }

    /**
     * Accepts an envelope only if there is room now: never waits and never admits above capacity.
     * @param envelope the envelope
     * @return completed: the queue holds it
     * @throws EndpointFullException when the queue is full; its {@code whenRoom} is told once the
     *                               workers drained it to half its capacity
     * @throws IllegalStateException when the queue is stopping or stopped
     */
    @Override
    public CompletableFuture<Void> offer(Envelope envelope) {
        put(envelope, Intake.OFFER, Overflow.HANDLERS);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Admits an envelope at once even above capacity, counted and reported as {@code whose}.
     * @param envelope the envelope
     * @param whose who sent it, for the over-capacity warning
     * @throws IllegalStateException when the queue is stopped
     */
    void admit(Envelope envelope, Overflow whose) {
        put(envelope, Intake.ABOVE_CAPACITY, whose);
    }

    /**
     * Queues an envelope for which {@link #reserve()} or {@link #tryReserve} took room: never
     * waits, never counts as above capacity.
     * @param envelope the envelope
     * @throws IllegalStateException when the queue is stopped (the reservation is given back)
     */
    void sendReserved(Envelope envelope) {
        put(envelope, Intake.RESERVED, Overflow.HANDLERS);
    }

    /**
     * Waits like an outside publisher's {@link #send} until there is room, and takes one place of
     * it for an envelope about to be stored: {@link #sendReserved} queues it, {@link #cancelReserved}
     * gives the place back. Publishers racing for the last room thus cannot all pass.
     * @throws QueueFullException when no room came within the publish timeout
     * @throws IllegalStateException when the queue is stopping or stopped
     */
    void reserve() {
        lock.lock();
        try {
            awaitRoom();
            reserved++;
        } finally {
            unlock();
        }
    }

    /**
     * Takes as much room as there is now, up to {@code most} places, without waiting.
     * @param most the most places wanted
     * @return the places taken, 0 when full or stopping
     */
    int tryReserve(int most) {
        lock.lock();
        try {
            if (state == State.DRAINING || state == State.TERMINATED) {
                return 0;
            }
            int taken = Math.max(0, Math.min(most, capacity - queued() - reserved));
            reserved += taken;
            return taken;
        } finally {
            unlock();
        }
    }

    /**
     * Gives back reserved places that will not be used (the store failed, or found a duplicate).
     * @param places how many
     */
    void cancelReserved(int places) {
        if (places <= 0) {
            return;
        }
        List<Runnable> watchers;
        lock.lock();
        try {
            reserved -= places;
            if (blockedPublishers > 0) {
                notFull.signalAll();
            }
            watchers = roomAppeared();
        } finally {
            unlock();
        }
        tellAll(watchers);
    }

    /** How an envelope comes in. */
    private enum Intake {
        /** An outside publisher: waits while full, up to the publish timeout. */
        WAIT,
        /** A background sender: refused at once when full. */
        OFFER,
        /** Room was reserved for it. */
        RESERVED,
        /** Admitted at once even above capacity (handlers' sends, committed rows). */
        ABOVE_CAPACITY
    }

    private void put(Envelope envelope, Intake intake, Overflow whose) {
        Objects.requireNonNull(envelope, "envelope");
        ExpressLane lane = express;
        if (lane != null && lane.open && (intake == Intake.WAIT || intake == Intake.ABOVE_CAPACITY)
                && tryExpress(lane, envelope)) {
            return;
        }
        // The key function is user code: run it before taking the lock.
        @Nullable Object key = buffer.keyOf(envelope);
        long admittedAboveCapacity = 0;
        int depthAtAdmission = 0;
        @Nullable Worker added = null;
        List<Runnable> watchers = List.of();
        lock.lock();
        try {
            switch (intake) {
                case WAIT -> awaitRoom();
                case OFFER -> {
                    if (state == State.DRAINING || state == State.TERMINATED) {
                        throw stopped();
                    }
                    if (!hasRoom()) {
                        throw new EndpointFullException(destination, capacity, this::whenRoom);
                    }
                }
                case RESERVED -> {
                    reserved--;
                    if (state == State.TERMINATED) {
                        throw stopped();
                    }
                }
                case ABOVE_CAPACITY -> {
                    if (state == State.TERMINATED) {
                        throw stopped();
                    }
                    if (!hasRoom()) {
                        overCapacityAdmissions++;
                        if (overCapacityWarningDue(whose)) {
                            admittedAboveCapacity = overCapacityAdmissions;
                            depthAtAdmission = queued() + 1;
                        }
                    }
                }
            }
            // What this thread sent through the express lane goes first: its sends stay in order.
            absorbExpress();
            if (buffer.add(envelope, key)) {
                // Not while stopping: a send that slips in after the drain found the queue idle
                // would be started at once, only for the stop to interrupt it; queued, it is left
                // unhandled (and a durable queue's row stays in the database).
                if (spinner != null && state == State.RUNNING && handOffToSpinner()) {
                    // A spinning worker got the next envelope without a system call. It took it
                    // here, not in take, so room that used up a reservation is announced here.
                    watchers = roomAppeared();
                } else {
                    added = wakeOrReserveWorker();
                }
            }
            raceHooks.afterQueued();
            if (state == State.DRAINING) {
                drainChanged();
            }
        } finally {
            unlock();
        }
        tellAll(watchers);
        // Thread starts are slow: done after unlocking, so they never hold up the queue.
        if (added != null) {
            launch(added);
        }
        if (admittedAboveCapacity > 0) {
            logger.warn("Local queue '" + settings.name() + "' admitted " + whose.text + " above its capacity of "
                    + capacity + " (depth now " + depthAtAdmission + ", " + admittedAboveCapacity
                    + " such admissions so far); publishers outside handlers wait until the depth falls. "
                    + "Raise critter.local.queues." + settings.name() + ".capacity if this persists");
        }
    }

    /**
     * Wakes the idle worker that went idle last, or counts a new worker when none is idle and the
     * queue may run more; under the lock, after an envelope was queued.
     * @return the worker to launch after unlocking, if one was counted
     */
    private @Nullable Worker wakeOrReserveWorker() {
        Worker woken = idle.pollFirst();
        if (woken != null) {
            woken.woken = true;
            // Signalled under the lock, as an ArrayBlockingQueue does: the worker then queues for
            // the lock and is handed it at unlock, instead of waking and colliding with this
            // publisher's next send.
            woken.wake.signal();
            return null;
        }
        if (workersStarted && !workersMustExit && live.size() < slotTaken.length) {
            return reserveWorker();
        }
        return null;
    }

    /**
     * The express lane: a deque a publisher appends to under the lane's own monitor, which a
     * worker holds only to swap the deque out, and the queue to open or close the lane. Its fields
     * sit apart from the queue's, which the workers write at every take, so a publisher reading
     * them does not miss its cache each time.
     */
    private static final class ExpressLane {
        /** The most envelopes the lane holds: a quarter of the queue's capacity. */
        final int limit;
        /** The lane is open only while the buffer and the workers' batches hold at most this: half the capacity. */
        final int openUpTo;
        /** Guarded by this lane. */
        ArrayDeque<Envelope> envelopes = new ArrayDeque<>();
        /** {@link #envelopes}' size: written under this lane's monitor, read without it. */
        volatile int count;
        /**
         * Whether a send may take the lane: the queue runs, all its workers live and none is idle,
         * spinning or must exit, nobody waits for room, and the queue holds at most {@link #openUpTo}.
         * Written under this lane's monitor and the queue's lock: nothing is appended once it is
         * closed, and whoever closes it sees exactly what it holds.
         */
        volatile boolean open;
        /** Sends taken since creation; guarded by this lane. */
        long sends;

        ExpressLane(int capacity) {
            this.limit = capacity / 4;
            this.openUpTo = capacity / 2;
        }
    }

    /**
     * Sends an envelope without the queue's lock: appended to the express lane, which busy workers
     * empty when they come for more.
     * @return whether the lane took the envelope; {@code false} when it closed or is full: send it under the lock
     */
    private boolean tryExpress(ExpressLane lane, Envelope envelope) {
        raceHooks.beforeExpressAppend();
        synchronized (lane) {
            int count = lane.count;
            if (!lane.open || count == lane.limit) {
                return false;
            }
            lane.envelopes.addLast(envelope);
            lane.count = count + 1;
            lane.sends++;
            return true;
        }
    }

    /** Moves what the express lane holds to the tail of the buffer, in order; under the lock. */
    private void absorbExpress() {
        ExpressLane lane = express;
        int count;
        if (lane == null || (count = lane.count) == 0) {
            return;
        }
        // A new deque, not the emptied one: an array a publisher fills is then young, and storing
        // a new envelope in it skips the garbage collector's slow card marking, which an old,
        // reused array costs at every store. The buffer, when empty, adopts the full one.
        ArrayDeque<Envelope> fresh = new ArrayDeque<>(Math.max(16, count * 2));
        ArrayDeque<Envelope> taken;
        synchronized (lane) {
            taken = lane.envelopes;
            lane.envelopes = fresh;
            lane.count = 0;
            // The lane was opened for a queue holding at most openUpTo; now that it holds more,
            // it closes at once, not at unlock: else publishers fill the emptied lane again
            // while this thread still holds the lock, and a send queued meanwhile passes the capacity.
            if (lane.open && buffer.size() + taken.size() + ahead + reserved > lane.openUpTo) {
                lane.open = false;
            }
        }
        Objects.requireNonNull(fifo).append(taken);
    }

    /** What the express lane holds now; 0 without one. */
    private int expressCount() {
        ExpressLane lane = express;
        return lane == null ? 0 : lane.count;
    }

    /** Releases the lock after opening or closing the express lane as the queue's state now allows. */
    private void unlock() {
        ExpressLane lane = express;
        if (lane != null) {
            boolean open = state == State.RUNNING && !workersMustExit && idle.isEmpty() && spinner == null
                    && blockedPublishers == 0 && !roomWanted && live.size() == slotTaken.length
                    && buffer.size() + ahead + reserved <= lane.openUpTo;
            // Changed only when it changes: publishers read it at every send.
            if (lane.open != open) {
                synchronized (lane) {
                    lane.open = open;
                }
            }
        }
        lock.unlock();
    }

    /**
     * Runs a callback once the queue has room for an {@link #offer}: at once when it has room now
     * or stops (the offer then says why), else once workers drained it to half its capacity.
     */
    private void whenRoom(Runnable callback) {
        boolean now;
        lock.lock();
        try {
            now = state == State.DRAINING || state == State.TERMINATED || hasRoomElseWantIt();
            if (!now) {
                roomWatchers.add(callback);
            }
            updateRoomWanted();
        } finally {
            unlock();
        }
        if (now) {
            tell(callback);
        }
    }

    /**
     * The watchers to tell, once the queue has drained to half its capacity (a low-water mark: a
     * refused agent then comes back for many messages, not for each free place); under the lock.
     * Told after unlocking.
     */
    private List<Runnable> roomAppeared() {
        if (roomWatchers.isEmpty() || queued() + reserved > capacity / 2) {
            return List.of();
        }
        List<Runnable> watchers = new ArrayList<>(roomWatchers);
        roomWatchers.clear();
        updateRoomWanted();
        return watchers;
    }

    /**
     * Tells the watchers, if any: the hot paths pass an empty list, whose {@code forEach} would
     * allocate an iterator per message where the JIT does not remove it.
     */
    private static void tellAll(List<Runnable> watchers) {
        if (!watchers.isEmpty()) {
            watchers.forEach(LocalQueue::tell);
        }
    }

    private static void tell(Runnable watcher) {
        try {
            watcher.run();
        } catch (RuntimeException ex) {
            logger.warn("A watcher of a local queue's room failed: " + ex, ex);
        }
    }

    /**
     * Waits, as an outside publisher's {@link #send} would, until the queue has room, without
     * adding anything.
     * @throws QueueFullException when no room came within the publish timeout
     * @throws IllegalStateException when the queue is stopping or stopped
     */
    @Override
    public void awaitAccepting() {
        lock.lock();
        try {
            awaitRoom();
        } finally {
            unlock();
        }
    }

    /** Blocks an outside publisher while the queue is full; called under the lock. */
    private void awaitRoom() {
        long nanos = publishTimeoutNanos;
        blockedPublishers++;
        try {
            while (true) {
                if (state == State.DRAINING || state == State.TERMINATED) {
                    throw stopped();
                }
                if (hasRoomElseWantIt()) {
                    return;
                }
                if (nanos <= 0) {
                    throw new QueueFullException(settings.name(), capacity, settings.publishTimeout());
                }
                closeExpress();
                nanos = notFull.awaitNanos(nanos);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for room in local queue '"
                    + settings.name() + "'; the message was not accepted", ex);
        } finally {
            blockedPublishers--;
            updateRoomWanted();
        }
    }

    /** Warns at the first over-capacity admission of each kind, then at most once per interval. */
    private boolean overCapacityWarningDue(Overflow whose) {
        long now = System.nanoTime();
        if (overCapacityAdmissions == 1 || whose != lastOverflow
                || now - lastOverCapacityWarning >= OVER_CAPACITY_WARN_INTERVAL_NANOS) {
            lastOverCapacityWarning = now;
            lastOverflow = whose;
            return true;
        }
        return false;
    }

    private IllegalStateException stopped() {
        return new IllegalStateException("Local queue '" + settings.name()
                + "' is stopped and no longer accepts messages");
    }

    /** Counts a new worker and gives it the lowest free number; under the lock. */
    private Worker reserveWorker() {
        int slot = 0;
        while (slotTaken[slot]) {
            slot++;
        }
        slotTaken[slot] = true;
        Worker worker = new Worker(slot);
        live.add(worker);
        return worker;
    }

    /** Starts a reserved worker's thread; not under the lock. */
    private void launch(Worker worker) {
        try {
            workers.start(worker.slot + 1, worker);
        } catch (RuntimeException | Error ex) {
            lock.lock();
            try {
                retire(worker);
            } finally {
                unlock();
            }
            logger.error("Local queue '" + settings.name() + "' could not start a worker; "
                    + (live.isEmpty() ? "messages wait until the next send starts one" : "the others carry on"), ex);
        }
    }

    /** Forgets a worker that is about to exit; under the lock. */
    private void retire(Worker worker) {
        giveBackSpinPermit(worker);
        live.remove(worker);
        idle.remove(worker);
        slotTaken[worker.slot] = false;
    }

    private static final Envelope[] NOTHING_AHEAD = new Envelope[0];

    /** One worker: its claim on the buffer, its wake-up condition, and whether a sender woke it. */
    private final class Worker implements Runnable {
        final int slot;
        final EnvelopeBuffer.Claim claim = new EnvelopeBuffer.Claim();
        /** What this worker waits on while idle; one per worker, so the sender wakes exactly it. */
        final Condition wake = lock.newCondition();
        /** Set under the lock by the sender that took this worker off the idle list. */
        boolean woken;
        /** What a sender handed this spinning worker, already claimed for it; read while it spins, without the lock. */
        volatile @Nullable Envelope handed;
        /** Set under the lock while this worker is {@link #spinner}, for its loop to spin outside the lock. */
        boolean spinning;
        /** Whether this worker holds one of the {@link SpinPermits}: from its spin until it parks, retires or finds work waiting. */
        boolean spinPermit;
        /** The envelopes this worker took ahead, in queue order; filled and cleared under the lock by the worker. */
        final Envelope[] aheadOf;
        /** How many of {@link #aheadOf} were taken; written under the lock by the worker only. */
        int aheadEnd;
        /**
         * The index in {@link #aheadOf} to run next, claimed by an atomic increment: by this worker
         * without the lock, by an idle sibling under it. An index claimed past {@link #aheadEnd} holds nothing.
         */
        volatile int aheadNext;

        Worker(int slot) {
            this.slot = slot;
            this.aheadOf = fifo != null ? new Envelope[MAX_AHEAD] : NOTHING_AHEAD;
        }

        @Override
        public void run() {
            try {
                work(this);
            } finally {
                workers.exited();
            }
        }
    }

    /**
     * A worker's loop: finish the previous envelope and take the next in one lock acquisition, or,
     * when there is none, spin for a moment outside the lock for a sender to hand one over.
     */
    private void work(Worker worker) {
        @Nullable Envelope envelope = null;
        boolean maySpin = spinningAllowed;
        int ranAhead = 0;
        while (true) {
            List<Runnable> watchers;
            lock.lock();
            try {
                if (envelope != null) {
                    if (worker.aheadEnd > 0) {
                        settleAhead(worker, ranAhead);
                    }
                    finish(worker.claim);
                }
                envelope = take(worker, maySpin);
                watchers = envelope == null ? List.of() : roomAppeared();
            } finally {
                unlock();
            }
            tellAll(watchers);
            if (envelope == null && worker.spinning) {
                envelope = awaitHandOff(worker);
                // After an empty-handed spin the next take parks rather than spinning again at once.
                maySpin = envelope != null && spinningAllowed;
                if (envelope == null) {
                    continue;
                }
            } else if (envelope == null) {
                return;
            } else {
                maySpin = spinningAllowed;
            }
            handle(envelope);
            ranAhead = worker.aheadEnd > 0 ? runAhead(worker) : 0;
        }
    }

    /**
     * Runs the envelopes this worker took ahead, without the lock, each claimed by an atomic
     * increment so an idle sibling can take the next one meanwhile; stops early when the workers
     * must exit (the rest go back to the queue).
     * @return how many this worker ran
     */
    private int runAhead(Worker worker) {
        int end = worker.aheadEnd;
        int unsettled = 0;
        while (!workersMustExit) {
            int next = (int) AHEAD_NEXT.getAndAdd(worker, 1);
            if (next >= end) {
                break;
            }
            Envelope envelope = worker.aheadOf[next];
            // Seen by a shutdown report, which reads it under the lock; a release write costs nothing here.
            CURRENT.setRelease(worker.claim, envelope);
            unsettled++;
            if (roomWanted) {
                // Starting it makes room, as taking it from the buffer would: a waiting publisher
                // or watcher gets that room now, not once this batch is through.
                giveBackRoom(unsettled);
                unsettled = 0;
            }
            handle(envelope);
        }
        return unsettled;
    }

    /** Accounts for envelopes a worker started ahead, between batches, and tells who waits for room. */
    private void giveBackRoom(int started) {
        List<Runnable> watchers;
        lock.lock();
        try {
            ahead -= started;
            signalRoom(started);
            watchers = roomAppeared();
        } finally {
            unlock();
        }
        tellAll(watchers);
    }

    /** Wakes as many waiting publishers as places were freed; under the lock. */
    private void signalRoom(int freed) {
        for (int i = 0; i < freed && i < blockedPublishers; i++) {
            notFull.signal();
        }
    }

    /**
     * Accounts for this worker's batch when it comes back for more, under the lock: what it ran,
     * what siblings took over (they accounted for it), and what it left, which goes back to the
     * head of the queue in order.
     */
    private void settleAhead(Worker worker, int ran) {
        int end = worker.aheadEnd;
        int unclaimed = (int) AHEAD_NEXT.getAndSet(worker, end);
        ahead -= ran;
        signalRoom(ran);
        if (unclaimed < end && fifo != null) {
            for (int i = end - 1; i >= unclaimed; i--) {
                fifo.putBack(worker.aheadOf[i]);
            }
            ahead -= end - unclaimed;
        }
        Arrays.fill(worker.aheadOf, 0, end, null);
        worker.aheadEnd = 0;
        AHEAD_NEXT.set(worker, 0);
    }

    /**
     * Takes, for a worker that found the queue empty, the next envelope a sibling took ahead and
     * has not started: a message never waits behind a slow handler while a worker is free. Under the lock.
     * @return the envelope, not yet counted in flight; {@code null} when no sibling has one
     */
    private @Nullable Envelope takeOverAhead(Worker worker) {
        if (ahead == 0) {
            return null;
        }
        for (int w = 0; w < live.size(); w++) {
            Worker sibling = live.get(w);
            int end = sibling.aheadEnd;
            if (sibling == worker || end == 0 || (int) AHEAD_NEXT.getAcquire(sibling) >= end) {
                continue;
            }
            int next = (int) AHEAD_NEXT.getAndAdd(sibling, 1);
            if (next < end) {
                ahead--;
                return sibling.aheadOf[next];
            }
        }
        return null;
    }

    /**
     * Takes a worker's fair share of the backlog ahead, after the envelope it starts now: what
     * waits divided among the workers the queue may run, at most {@link #MAX_AHEAD}. Under the lock.
     */
    private void takeAhead(Worker worker) {
        int share = Math.min(worker.aheadOf.length, buffer.size() / slotTaken.length);
        if (share == 0 || fifo == null) {
            return;
        }
        for (int i = 0; i < share; i++) {
            worker.aheadOf[i] = fifo.poll(worker.claim);
        }
        worker.aheadEnd = share;
        AHEAD_NEXT.set(worker, 0);
        ahead += share;
    }

    /**
     * Counts the envelopes that use room: those in the buffer and those workers took ahead and
     * nobody started yet (a started one made room, as taking it from the buffer would). Under the lock.
     */
    private int queued() {
        int waiting = buffer.size() + expressCount();
        return ahead == 0 ? waiting : waiting + unstartedAhead();
    }

    /** Whether an outside publisher may add one now; under the lock. Cheap while there is room surely. */
    private boolean hasRoom() {
        return buffer.size() + expressCount() + ahead + reserved < capacity || queued() + reserved < capacity;
    }

    /**
     * Whether an outside publisher may add one now; when not, marks room as wanted before the
     * precise count, so a worker starting an envelope ahead meanwhile comes to tell. Under the lock.
     */
    private boolean hasRoomElseWantIt() {
        if (buffer.size() + expressCount() + ahead + reserved < capacity) {
            return true;
        }
        roomWanted = true;
        return queued() + reserved < capacity;
    }

    /** Clears {@link #roomWanted} once nobody waits or watches; under the lock. */
    private void updateRoomWanted() {
        boolean wanted = blockedPublishers > 0 || !roomWatchers.isEmpty();
        if (roomWanted != wanted) {
            roomWanted = wanted;
        }
    }

    /**
     * Spins, without the lock, until a sender hands this worker an envelope, the spin time passes,
     * or the workers must exit. A sender that finds the spinner claims the envelope for it and
     * writes it to the worker's field instead of unparking a thread: the worker then starts it
     * without taking the lock.
     * @return the handed envelope, already counted in flight; {@code null} when none came
     */
    private @Nullable Envelope awaitHandOff(Worker worker) {
        // May wrap for a saturated spin: compared by difference below, it still lies ahead.
        long deadline = System.nanoTime() + spinNanos;
        int spins = 0;
        @Nullable Envelope handed;
        while ((handed = worker.handed) == null) {
            Thread.onSpinWait();
            // The clock is read every 64 spins only: it costs more than a spin.
            if (workersMustExit || ((++spins & 63) == 0 && System.nanoTime() - deadline > 0)) {
                lock.lock();
                try {
                    // Under the lock a sender either handed over already or will not find this spinner.
                    handed = worker.handed;
                    if (spinner == worker) {
                        spinner = null;
                    }
                    if (handed == null) {
                        // Messages come further apart than a spin: park at once from now on,
                        // until a worker is woken within a spin's time of parking.
                        spinPaysOff = false;
                    }
                } finally {
                    unlock();
                }
                break;
            }
        }
        worker.spinning = false;
        worker.handed = null;
        // A parked worker swallows a stray interrupt (take); one that came while spinning must not
        // reach the next handler either, whether of the handed envelope or of one the worker polls
        // right after an empty spin. A stop's interrupt follows its workersMustExit, so seeing the
        // interrupt means seeing that too: it is kept.
        if (Thread.interrupted() && workersMustExit) {
            Thread.currentThread().interrupt();
        }
        return handed;
    }

    /**
     * Waits for an envelope this worker may take; {@code null} when the worker must exit or has
     * been idle for the idle timeout (it is then retired). Under the lock, which it releases while
     * it waits.
     */
    private @Nullable Envelope take(Worker worker, boolean maySpin) {
        long idleSince = 0;
        while (!workersMustExit) {
            if (buffer.size() < slotTaken.length * (MAX_AHEAD + 1)) {
                // Only when the buffer runs low: what the lane holds is newer than all it holds.
                absorbExpress();
            }
            Envelope envelope = buffer.poll(worker.claim);
            if (envelope != null) {
                // Work waited in the buffer: this worker is not keeping up a spin, and another
                // queue's worker may need the permit more.
                giveBackSpinPermit(worker);
                claim(worker, envelope);
                takeAhead(worker);
                return envelope;
            }
            envelope = takeOverAhead(worker);
            if (envelope != null) {
                // Work waited, as above: the permit goes to whoever spins next.
                giveBackSpinPermit(worker);
                claim(worker, envelope);
                return envelope;
            }
            if (maySpin && spinPaysOff && spinner == null && (worker.spinPermit || takeSpinPermit(worker))) {
                spinner = worker;
                if (closeExpressEmpty()) {
                    worker.spinning = true;
                    worker.handed = null;
                    return null;
                }
                spinner = null;
                continue;
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            }
            long remaining = idleTimeoutNanos - (now - idleSince);
            if (remaining <= 0) {
                break;
            }
            // A parked worker holds no core: its spin permit goes to whoever spins next.
            giveBackSpinPermit(worker);
            worker.woken = false;
            idle.addFirst(worker);
            raceHooks.beforeWorkerParks();
            if (!closeExpressEmpty()) {
                idle.remove(worker);
                continue;
            }
            try {
                worker.wake.awaitNanos(remaining);
            } catch (InterruptedException ex) {
                // Only terminate() interrupts a waiting worker on purpose, after setting
                // workersMustExit; a stray interrupt left by handler code must not cost a worker.
            }
            if (!worker.woken) {
                idle.remove(worker);
            } else if (spinningAllowed && !spinPaysOff && System.nanoTime() - now < spinNanos) {
                // Woken within a spin's time of parking: messages come close together again.
                spinPaysOff = true;
            }
        }
        retire(worker);
        return null;
    }

    /**
     * Closes the express lane before a worker spins or parks (it counts as idle now), and tells
     * whether the lane is empty: what a publisher appended before the close is seen here, and
     * nothing is appended after it. Under the lock.
     */
    private boolean closeExpressEmpty() {
        ExpressLane lane = express;
        if (lane == null) {
            return true;
        }
        synchronized (lane) {
            lane.open = false;
            return lane.count == 0;
        }
    }

    /** Closes the express lane at once, not at the next unlock; under the lock. */
    private void closeExpress() {
        ExpressLane lane = express;
        if (lane != null && lane.open) {
            synchronized (lane) {
                lane.open = false;
            }
        }
    }

    private boolean takeSpinPermit(Worker worker) {
        worker.spinPermit = spinPermits.tryAcquire();
        return worker.spinPermit;
    }

    private void giveBackSpinPermit(Worker worker) {
        if (worker.spinPermit) {
            worker.spinPermit = false;
            spinPermits.release();
        }
    }

    /** Counts an envelope a worker took as in flight; under the lock. */
    private void claim(Worker worker, Envelope envelope) {
        inFlight++;
        worker.claim.current = envelope;
        if (blockedPublishers > 0 && hasRoom()) {
            notFull.signal();
        }
    }

    /**
     * Gives the spinning worker the envelope it may take next, under the lock: it then starts it
     * without taking the lock.
     * @return whether it got one
     */
    private boolean handOffToSpinner() {
        Worker taker = spinner;
        @Nullable Envelope next = buffer.poll(taker.claim);
        if (next == null) {
            return false;
        }
        spinner = null;
        claim(taker, next);
        handOffs++;
        taker.handed = next;
        return true;
    }

    /** Records that this worker's envelope is handled; under the lock. */
    private void finish(EnvelopeBuffer.Claim claim) {
        inFlight--;
        claim.current = null;
        buffer.release(claim);
        if (state == State.DRAINING) {
            drainChanged();
        }
    }

    /** Under the lock, while draining: wakes the drain waiting for this queue and its group. */
    private void drainChanged() {
        if (drainWatcher != null) {
            drainWatcher.run();
        }
    }

    private void handle(Envelope envelope) {
        try {
            receiver.receive(envelope, this);
        } catch (Throwable ex) {
            logger.error("Receiver of local queue '" + settings.name() + "' failed on " + envelope
                    + "; the worker carries on", ex);
        }
        // An interrupt left set by handler code would make this worker's next wait fail at once.
        // stop() sets workersMustExit before interrupting, so clearing it here loses nothing.
        Thread.interrupted();
    }

    /**
     * Stops the queue: refuses outside publishers at once (waking those blocked in
     * {@link #send}), lets the workers handle what is queued, and what handlers send meanwhile,
     * until nothing is left or the drain timeout passes, then interrupts and joins the workers.
     * Envelopes still queued are logged by count. Calling it again returns the first result. To
     * stop several queues whose handlers send to each other, stop them together with
     * {@link LocalQueues#stop}.
     * @param drainTimeout how long to let queued and in-flight envelopes finish
     * @return how many envelopes were still queued, unhandled, when the workers stopped; an
     *         envelope whose handler was interrupted is its handler's to requeue or fail, and a
     *         requeue during the stop is counted here
     */
    public int stop(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        synchronized (lifecycle) {
            if (!isTerminated()) {
                new LocalQueues(List.of(this)).drain(drainTimeout);
            }
            return terminate();
        }
    }

    /**
     * First phase of a stop: refuses outside publishers from now on (waking those blocked) while
     * handlers may still send, and reports every later send and finish to {@code watcher}.
     * @param watcher called under this queue's lock; must not block or take this queue's lock
     */
    void beginDrain(Runnable watcher) {
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.DRAINING;
            drainWatcher = watcher;
            notFull.signalAll();
        } finally {
            unlock();
        }
    }

    /**
     * Tells whether this queue has nothing left to do: nothing queued and nothing in flight, or
     * it was never started (no worker will ever take what it holds).
     * @return whether a drain may end as far as this queue is concerned
     */
    boolean isIdle() {
        lock.lock();
        try {
            return !workersStarted || (inFlight == 0 && ahead == 0 && buffer.size() == 0 && expressCount() == 0);
        } finally {
            unlock();
        }
    }

    /**
     * Returns the envelopes the workers are handling right now, for a shutdown report.
     * @return the envelopes the workers are handling right now, for a shutdown report
     */
    List<Envelope> inFlightEnvelopes() {
        lock.lock();
        try {
            List<Envelope> current = new ArrayList<>();
            for (Worker worker : live) {
                Envelope envelope = (Envelope) CURRENT.getAcquire(worker.claim);
                if (envelope != null) {
                    current.add(envelope);
                }
            }
            return current;
        } finally {
            unlock();
        }
    }

    private boolean isTerminated() {
        lock.lock();
        try {
            return state == State.TERMINATED;
        } finally {
            unlock();
        }
    }

    /**
     * Second phase of a stop: makes the workers exit, interrupting handlers still running, and
     * refuses every send from now on. Idempotent.
     * @return how many envelopes were left queued, unhandled
     */
    int terminate() {
        synchronized (lifecycle) {
            lock.lock();
            try {
                if (state == State.TERMINATED) {
                    return unhandledAtStop;
                }
                state = State.DRAINING;
                notFull.signalAll();
                workersMustExit = true;
                // A spinner finds nothing handed when its moment ends, then sees it must exit.
                spinner = null;
                for (Worker worker : idle) {
                    worker.woken = true;
                    worker.wake.signal();
                }
                idle.clear();
            } finally {
                unlock();
            }
            workers.interruptAndJoin();
            lock.lock();
            try {
                // Counted after the join: requeues by interrupted handlers are left unhandled too,
                // and so is what a worker that would not stop still holds ahead.
                absorbExpress();
                state = State.TERMINATED;
                drainWatcher = null;
                unhandledAtStop = buffer.size() + unstartedAhead();
            } finally {
                unlock();
            }
            if (unhandledAtStop > 0 && durable) {
                logger.info(unhandledAtStop + " durable messages still queued in local queue '" + settings.name()
                        + "' were not handled; they stay in the database");
            } else if (unhandledAtStop > 0) {
                logger.warn(unhandledAtStop + " non-durable messages still queued in local queue '"
                        + settings.name() + "' were not handled");
            }
            return unhandledAtStop;
        }
    }

    /**
     * Counts the envelopes waiting to be handled, not those being handled: those queued and those
     * a worker took ahead and has not started.
     * @return the queue's depth
     */
    public int depth() {
        lock.lock();
        try {
            return queued();
        } finally {
            unlock();
        }
    }

    /** Counts the envelopes workers took ahead and nobody started yet; under the lock. */
    private int unstartedAhead() {
        int unstarted = 0;
        if (ahead > 0) {
            for (Worker worker : live) {
                // A volatile read: it pairs with the volatile write of roomWanted before it (hasRoomElseWantIt).
                unstarted += Math.max(0, worker.aheadEnd - worker.aheadNext);
            }
        }
        return unstarted;
    }

    /**
     * Points in the express lane's races where a test makes the other side act, so that what
     * would take many runs to hit happens every time.
     */
    interface RaceHooks {
        /** Does nothing. */
        RaceHooks NONE = new RaceHooks() { };

        /** On the publisher, after it found the express lane open, before it takes the lane's monitor. */
        default void beforeExpressAppend() {
        }

        /** On a worker that found nothing to take, under the lock, before it closes the lane to park. */
        default void beforeWorkerParks() {
        }

        /** On a sender that queued an envelope under the lock, after it moved the express lane, before it unlocks. */
        default void afterQueued() {
        }
    }

    /**
     * Sets the race hooks; before the queue starts, from the thread that starts it.
     * @param hooks the hooks
     */
    void raceHooks(RaceHooks hooks) {
        this.raceHooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * Counts the sends that went through the express lane, without the queue's lock, since creation.
     * @return the number of such sends; 0 for a queue without the lane
     */
    long expressSends() {
        ExpressLane lane = express;
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.sends;
        }
    }

    /**
     * Counts the envelopes workers are handling right now.
     * @return the number in flight
     */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            unlock();
        }
    }

    /**
     * Counts the envelopes admitted while the queue was at or above capacity (handlers' sends, a
     * durable queue's rows of committed transactions), since creation; outside publishers never are.
     * @return the number of over-capacity admissions
     */
    public long overCapacityAdmissions() {
        lock.lock();
        try {
            return overCapacityAdmissions;
        } finally {
            unlock();
        }
    }

    /**
     * What a queue's spinning looks like right now, read in one go.
     * @param spinning whether a worker is spinning for the next envelope (a sender would hand it over)
     * @param paysOff whether an idle worker would spin: the last spin got an envelope, or a parked
     *                worker was woken within a spin's time of parking
     * @param handOffs how many envelopes senders handed straight to a spinning worker, since creation
     */
    record SpinState(boolean spinning, boolean paysOff, long handOffs) {
    }

    /**
     * Reads the queue's spinning state under the lock.
     * @return the state now
     */
    SpinState spinState() {
        lock.lock();
        try {
            return new SpinState(spinner != null, spinPaysOff, handOffs);
        } finally {
            unlock();
        }
    }

    /**
     * Tells whether the queue is started and not stopping.
     * @return {@code true} between {@link #start()} and {@link #stop}
     */
    public boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            unlock();
        }
    }

    @Override
    public String toString() {
        return "LocalQueue[" + address + ", " + settings.mode() + ", parallelism=" + settings.parallelism()
                + ", capacity=" + capacity + "]";
    }

    /** {@link Duration#toNanos()} overflows past 292 years; such timeouts mean "wait for ever". */
    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }
}
