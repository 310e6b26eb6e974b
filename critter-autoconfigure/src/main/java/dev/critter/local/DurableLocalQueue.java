package dev.critter.local;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.EnvelopeHeaders;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Inbox;
import dev.critter.transport.Receipt;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A local queue backed by the inbox: every envelope is stored before it is queued, and its row
 * goes only once the pipeline settled it. The queueing, workers, ordering and back-pressure are
 * those of the in-memory {@link LocalQueue} it wraps, which holds the envelopes whose rows this
 * node owns.
 *
 * <ul>
 *   <li>Unordered: a publish stores the row owned by this node (group commit with other
 *       publishers), then queues it. A poller claims unowned rows (a crashed or stopped node's)
 *       as far as the queue has room.</li>
 *   <li>Sequential and partitioned: rows are stored unowned with the slot their key hashes to;
 *       the node that owns a slot ({@code critter_partition_owners}) loads its rows in publish
 *       order, so one key is only ever handled by one node, in order, also after a takeover.</li>
 * </ul>
 */
public final class DurableLocalQueue implements DurableEndpoint {

    private static final Log logger = LogFactory.getLog(DurableLocalQueue.class);

    /** Slots of a partitioned queue: the units a node claims; keys hash onto them. */
    static final int PARTITION_SLOTS = 32;

    private final LocalQueue memory;
    private final EnvelopeReceiver pipeline;
    private final Inbox inbox;
    private final Destination destination;
    private final LocalQueueSettings settings;
    private final int slots;
    private final Runnable poll;
    /** The envelope the calling worker is delivering, so a requeue of it is told from a new message. */
    private final ThreadLocal<Delivery> current = new ThreadLocal<>();
    /** Requeued copies of an id still queued or being handled: its row stays while any remain. */
    private final ConcurrentHashMap<UUID, Integer> requeued = new ConcurrentHashMap<>();
    /** How a copy of a requeued id ended for good while other copies still ran. */
    private final ConcurrentHashMap<UUID, Receipt> settled = new ConcurrentHashMap<>();
    /** Ids being delivered now: at a stop, their rows stay owned (a handler past the shutdown timeout). */
    private final ConcurrentHashMap<UUID, Integer> delivering = new ConcurrentHashMap<>();
    /** Whether unowned rows may wait for room: set when one is stored or a claim filled the room. */
    private volatile boolean backlog;
    private volatile boolean started;
    private volatile boolean stopped;

    /**
     * Creates the queue, stopped.
     * @param settings the queue's settings
     * @param pipeline where delivered envelopes go
     * @param workers how workers start and retire
     * @param inbox where envelopes are stored
     */
    public DurableLocalQueue(LocalQueueSettings settings, EnvelopeReceiver pipeline, WorkerSettings workers,
                             Inbox inbox) {
        this(settings, null, pipeline, workers, inbox);
    }

    /**
     * Creates the queue, stopped, keeping its rows under another transport's address: a durable
     * RabbitMQ listener stores its deliveries and hands them to handlers through such a queue,
     * under {@code rabbitmq://queue/<queue>}, so handlers, dead letters and idempotent receive see
     * that address and any node listening to the same queue claims a dead node's rows.
     * @param settings the queue's settings (its name names the worker threads)
     * @param destination the address the rows are kept under and handlers see as their source
     * @param pipeline where delivered envelopes go
     * @param workers how workers start and retire
     * @param inbox where envelopes are stored
     * @return the queue, stopped
     */
    public static DurableLocalQueue under(Destination destination, LocalQueueSettings settings,
                                          EnvelopeReceiver pipeline, WorkerSettings workers, Inbox inbox) {
        return new DurableLocalQueue(settings, Objects.requireNonNull(destination, "destination"), pipeline, workers,
                inbox);
    }

    private DurableLocalQueue(LocalQueueSettings settings, @Nullable Destination destination, EnvelopeReceiver pipeline,
                              WorkerSettings workers, Inbox inbox) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.memory = new LocalQueue(settings, (envelope, from) -> deliver(envelope), workers, true);
        this.destination = destination != null ? destination : memory.destination();
        this.slots = switch (settings.mode()) {
            case PARALLEL -> 0;
            case SEQUENTIAL -> 1;
            case PARTITIONED -> PARTITION_SLOTS;
        };
        this.poll = inbox.poller("claims of durable queue '" + settings.name() + "'", this::claim);
    }

    @Override
    public Destination destination() {
        return destination;
    }

    /**
     * Returns the in-memory queue holding the envelopes this node owns.
     * @return the in-memory queue
     */
    LocalQueue memory() {
        return memory;
    }

    /**
     * Returns the queue's settings.
     * @return the queue's settings
     */
    public LocalQueueSettings settings() {
        return settings;
    }

    @Override
    public void awaitAccepting() {
        memory.awaitAccepting();
    }

    /**
     * Stores the envelope, then queues it (unordered) or lets the slot's owner load it (ordered).
     * Outside publishers wait for room first, and on an unordered queue reserve it before the row
     * is stored, so publishers racing for the last room never overshoot the capacity; the row is
     * committed before this returns. A requeue by the handler of the envelope being delivered
     * keeps its row and queues it again.
     */
    @Override
    public void send(Envelope envelope, boolean fromHandler) {
        Delivery delivery = current.get();
        if (fromHandler && delivery != null && delivery.envelope.id().equals(envelope.id())) {
            requeue(envelope, delivery);
            return;
        }
        if (fromHandler) {
            store(entry(envelope, !isOrdered()), false);
        } else {
            storeFromOutside(envelope);
        }
    }

    @Override
    public boolean sendUnlessDuplicate(Envelope envelope) {
        return storeFromOutside(envelope);
    }

    /**
     * An outside publisher's store: waits for room and, on an unordered queue, reserves it before
     * the row is stored, so publishers racing for the last room never overshoot the capacity.
     * @return false when the inbox left it out as a duplicate
     */
    private boolean storeFromOutside(Envelope envelope) {
        if (isOrdered()) {
            // The row waits unowned for the slot's owner, who loads it as far as there is room.
            memory.awaitAccepting();
            return store(entry(envelope, false), false);
        }
        memory.reserve();
        return store(entry(envelope, true), true);
    }

    /**
     * Never waits and never refuses for want of room: the row is stored either way. With room now
     * (unordered) it is owned and queued at once; without, it waits unowned in the database and the
     * claim poller loads it when room appears, as it does the rows of a stopped node.
     */
    @Override
    public CompletableFuture<Void> offer(Envelope envelope) {
        if (stopped) {
            throw new IllegalStateException("Durable local queue '" + settings.name()
                    + "' is stopped and no longer accepts messages");
        }
        boolean owned = !isOrdered() && memory.tryReserve(1) == 1;
        store(entry(envelope, owned), owned);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stores one row and queues it; a place {@code reserved} in memory is used or given back.
     * @return false when the inbox left it out as a duplicate
     */
    private boolean store(Inbox.Entry entry, boolean reserved) {
        List<Inbox.Entry> stored;
        try {
            stored = inbox.store(List.of(entry));
        } catch (RuntimeException | Error ex) {
            if (reserved) {
                memory.cancelReserved(1);
            }
            throw ex;
        }
        if (stored.isEmpty()) {
            if (reserved) {
                memory.cancelReserved(1);
            }
            duplicate(entry.envelope());
            return false;
        }
        if (reserved) {
            memory.sendReserved(entry.envelope());
        } else if (entry.owned()) {
            // A handler's cascade: admitted at once even above capacity, as on any local queue.
            memory.admit(entry.envelope(), LocalQueue.Overflow.HANDLERS);
        } else {
            backlog = true;
            poll.run();
        }
        return true;
    }

    /**
     * Stores envelopes received from outside (a broker's deliveries), owned by this node, in one
     * statement and commit on the calling thread (the caller batched them), then queues those that
     * are new. When this returns the rows are committed, so whoever delivered them may forget them
     * (a broker may be acknowledged), except the refused ones. The caller waits for room first
     * ({@link #awaitAccepting()}): admitted envelopes are queued even above capacity, for their
     * rows are committed.
     * @param envelopes the envelopes, in the order received
     * @return what was stored and what the database refused on its own; the others were already
     *         stored or handled here (idempotent receive) and are dropped
     * @throws RuntimeException when nothing could be stored
     */
    public Inbox.BatchResult storeReceived(List<Envelope> envelopes) {
        List<Inbox.Entry> entries = envelopes.stream().map(envelope -> entry(envelope, !isOrdered())).toList();
        Inbox.BatchResult result = inbox.storeBatch(entries);
        if (result.stored().size() + result.refused().size() < entries.size() && logger.isDebugEnabled()) {
            Set<UUID> kept = new HashSet<>();
            result.stored().forEach(entry -> kept.add(entry.envelope().id()));
            result.refused().forEach(refused -> kept.add(refused.entry().envelope().id()));
            envelopes.stream().filter(envelope -> !kept.contains(envelope.id())).forEach(this::duplicate);
        }
        result.stored().forEach(this::received);
        return result;
    }

    @Override
    public void storeInTransaction(Envelope envelope) {
        // Past the room, rows wait unowned for the poller, so a big transaction cannot flood memory.
        boolean owned = !isOrdered() && memory.depth() < settings.capacity();
        inbox.storeInTransaction(entry(envelope, owned), this::queued);
    }

    @Override
    public boolean markHandledInTransaction(Envelope envelope, String chainId) {
        return inbox.markHandledInTransaction(envelope, destination, chainId);
    }

    /** Starts the workers and the poller, which claims what earlier runs and dead nodes left. */
    public void start() {
        memory.start();
        started = true;
        poll.run();
    }

    /**
     * After the in-memory queue stopped: writes what is pending and gives back the rows still
     * owned (queued, never handled) and the slots, so any live node takes them at once. Rows of
     * messages still being handled (past the shutdown timeout) stay owned by this node: live
     * nodes take them over once its lease expired, not while the handler may still run here.
     */
    void release() {
        stopped = true;
        try {
            Set<UUID> inFlight = Set.copyOf(delivering.keySet());
            int released = inbox.release(destination, inFlight);
            if (released > 0) {
                logger.info(released + " durable message(s) still queued in local queue '" + settings.name()
                        + "' stay in the database, released for any live node (or the next start)");
            }
            if (!inFlight.isEmpty()) {
                logger.warn(inFlight.size() + " durable message(s) of local queue '" + settings.name() + "' were still "
                        + "being handled at shutdown; their rows stay owned by this node, and live nodes handle "
                        + "them again only after critter.durability.node-lease (if this process did not finish them)");
            }
        } catch (RuntimeException ex) {
            logger.warn("Durable local queue '" + settings.name() + "' could not release its rows on shutdown; live "
                    + "nodes take them over after critter.durability.node-lease: " + ex.getMessage());
        }
    }

    /**
     * Stops the queue on its own (not with a group of local queues): lets queued envelopes finish
     * within the timeout, then gives back the rows still owned, as {@link #release()} does.
     * @param timeout how long to let queued and in-flight envelopes finish
     */
    public void stop(Duration timeout) {
        memory.stop(timeout);
        release();
    }

    /**
     * Returns how many envelopes wait in memory for a worker.
     * @return how many envelopes wait in memory for a worker
     */
    public int depth() {
        return memory.depth();
    }

    private boolean isOrdered() {
        return slots > 0;
    }

    private Inbox.Entry entry(Envelope envelope, boolean owned) {
        if (!isOrdered()) {
            return new Inbox.Entry(envelope, destination, owned, null, null);
        }
        if (settings.mode() == LocalQueueMode.SEQUENTIAL) {
            return new Inbox.Entry(envelope, destination, false, null, 0);
        }
        Function<Envelope, @Nullable Object> keyOf = Objects.requireNonNull(settings.partitionKey());
        @Nullable Object key = keyOf.apply(envelope);
        if (key == null) {
            // No key, no order: any node may claim it, as on an unordered queue.
            return new Inbox.Entry(envelope, destination, owned, null, null);
        }
        String text = String.valueOf(key);
        return new Inbox.Entry(envelope, destination, false, text, slotOf(text));
    }

    /** Stable across processes and versions: String.hashCode is specified. */
    static int slotOf(String key) {
        return Math.floorMod(key.hashCode(), PARTITION_SLOTS);
    }

    /** A batch of received envelopes was stored: owned rows are queued even above capacity (committed). */
    private void received(Inbox.Entry entry) {
        if (entry.owned()) {
            memory.admit(entry.envelope(), LocalQueue.Overflow.RECEIVED);
        } else {
            backlog = true;
            poll.run();
        }
    }

    /** A transaction that stored this row committed. */
    private void queued(Inbox.Entry entry) {
        if (entry.owned()) {
            // The row is committed and owned (there was room when it was stored): admitted even
            // above capacity, for a refusal now would strand it until the next start.
            memory.admit(entry.envelope(), LocalQueue.Overflow.COMMITTED);
        } else {
            backlog = true;
            poll.run();
        }
    }

    private void duplicate(Envelope envelope) {
        if (logger.isDebugEnabled()) {
            logger.debug("Dropped " + envelope.messageType() + " " + envelope.id() + " sent to " + destination
                    + ": already stored or handled there (idempotent receive)");
        }
    }

    private void requeue(Envelope envelope, Delivery delivery) {
        delivery.requeues++;
        delivery.requeuedAs = envelope;
        requeued.merge(envelope.id(), 1, Integer::sum);
        memory.send(envelope, true);
    }

    /** One poll: claims as many rows as the queue has room for (slots first, in order). */
    private void claim() {
        if (!started || stopped || !memory.isRunning()) {
            return;
        }
        // Room taken before the claim, so outside publishers racing for it cannot overshoot.
        int room = memory.tryReserve(inbox.batchSize());
        if (room <= 0) {
            return;
        }
        int claimed = 0;
        try {
            if (isOrdered()) {
                Set<Integer> owned = inbox.claimSlots(destination, slots);
                if (!owned.isEmpty()) {
                    claimed += admit(inbox.claimInOrder(destination, owned, room));
                }
            }
            if (room - claimed > 0) {
                claimed += admit(inbox.claimUnordered(destination, room - claimed));
            }
        } finally {
            memory.cancelReserved(room - claimed);
        }
        backlog = claimed >= room;
        if (backlog) {
            poll.run(); // probably more waiting: go on as soon as there is room
        }
    }

    /** Queues claimed rows into the room reserved for them. */
    private int admit(List<Envelope> envelopes) {
        for (Envelope envelope : envelopes) {
            memory.sendReserved(envelope);
        }
        return envelopes.size();
    }

    /**
     * The in-memory queue's worker delivers through here: the pipeline settles the envelope, then
     * its row is finished. What Critter could not settle is delivered again after a pause, on the
     * same worker, which keeps the order of ordered queues (only that key waits).
     */
    private void deliver(Envelope envelope) {
        UUID id = envelope.id();
        // Counted until its finish is handed to the inbox (copies of one id may run at once).
        delivering.merge(id, 1, Integer::sum);
        try {
            deliverAndFinish(envelope);
        } finally {
            delivering.computeIfPresent(id, (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    private void deliverAndFinish(Envelope envelope) {
        UUID id = envelope.id();
        boolean copy = requeued.containsKey(id);
        Delivery delivery = new Delivery(envelope);
        current.set(delivery);
        Receipt receipt;
        try {
            while (true) {
                receipt = pipeline.deliver(envelope, this);
                if (receipt != Receipt.UNSETTLED || !pauseBeforeRetry(envelope)) {
                    break;
                }
            }
        } finally {
            current.remove();
        }
        if (receipt == Receipt.UNSETTLED) {
            return; // stopping: the row stays, released with the others
        }
        int requeues = delivery.requeues;
        if (requeues == 0 && (copy || requeued.containsKey(id))) {
            // This copy ended for good while others of the id may still run: whichever ends last
            // finishes the row with this outcome.
            settled.put(id, receipt);
        }
        Integer left = requeued.compute(id, (key, count) -> {
            int n = (count == null ? 0 : count) - (copy ? 1 : 0);
            return n <= 0 ? null : n;
        });
        if (backlog && memory.depth() <= settings.capacity() / 2) {
            // Rows wait in the database while the workers run dry: claim now, not at the next poll.
            poll.run();
        }
        if (left == null) {
            // Every copy of the id ended: the last one to end for good says how the row finishes.
            Receipt last = settled.remove(id);
            Receipt outcome = requeues == 0 ? receipt : last;
            if (outcome != null) {
                inbox.finished(envelope, destination, switch (outcome) {
                    case HANDLED -> Inbox.Finish.HANDLED;
                    case DEFERRED -> Inbox.Finish.SENT_ON;
                    default -> Inbox.Finish.FORGET;
                });
                return;
            }
        }
        if (requeues > 0) {
            Envelope requeuedAs = Objects.requireNonNull(delivery.requeuedAs);
            if (left != null && left > 1) {
                // Copies for several chains wait: the row, which holds one chain, names none, so
                // after a crash every chain runs again rather than only the last one requeued.
                requeuedAs = requeuedAs.toBuilder().header(EnvelopeHeaders.CHAIN_ID, null).build();
            }
            inbox.finished(requeuedAs, destination, Inbox.Finish.REQUEUED);
        }
    }

    private boolean pauseBeforeRetry(Envelope envelope) {
        logger.warn("Critter could not settle " + envelope.messageType() + " " + envelope.id() + " from " + destination
                + "; its row is kept and it is delivered again in " + inbox.retryDelay().toMillis() + " ms");
        try {
            Thread.sleep(inbox.retryDelay().toMillis());
            return !stopped;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "DurableLocalQueue[" + destination + ", " + settings.mode() + ", parallelism=" + settings.parallelism()
                + ", capacity=" + settings.capacity() + "]";
    }

    /** What one worker's delivery did: requeues of its own envelope. */
    private static final class Delivery {
        final Envelope envelope;
        int requeues;
        @Nullable Envelope requeuedAs;

        Delivery(Envelope envelope) {
            this.envelope = envelope;
        }
    }
}
