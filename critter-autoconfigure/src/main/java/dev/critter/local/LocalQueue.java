package dev.critter.local;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.QueueFullException;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A bounded in-memory queue whose own worker threads hand each envelope to an
 * {@link EnvelopeReceiver}: in parallel, strictly in order, or in order per key
 * ({@link LocalQueueMode}).
 *
 * <p>Capacity bounds the waiting envelopes. Publishers outside handlers block while the queue is
 * full and get a {@link QueueFullException} after the publish timeout; sends from running handlers
 * never block (a handler cascading onto its own full queue would otherwise deadlock) and are
 * admitted above capacity, counted, and reported in a rate-limited warning.
 *
 * <p>One {@link ReentrantLock} guards everything, with conditions for idle workers, blocked
 * publishers and a draining {@link #stop}. A worker finishes one envelope and takes the next in a
 * single lock acquisition, so the hot path costs what an {@code ArrayBlockingQueue} costs.
 */
public final class LocalQueue implements Endpoint {

    private static final Log logger = LogFactory.getLog(LocalQueue.class);

    /** At most one over-capacity warning per queue in this interval, however many messages. */
    private static final long OVER_CAPACITY_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private enum State { NEW, RUNNING, DRAINING, TERMINATED }

    private final LocalQueueSettings settings;
    private final EnvelopeReceiver receiver;
    private final Destination destination;
    private final String address;
    private final int capacity;
    private final long publishTimeoutNanos;
    private final EnvelopeBuffer buffer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition drained = lock.newCondition();

    // Guarded by lock.
    private State state = State.NEW;
    private boolean workersMustExit;
    private int inFlight;
    private int idleWorkers;
    private int blockedPublishers;
    private long overCapacityAdmissions;
    private long lastOverCapacityWarning;

    /** Serialises start and stop, which may block, without holding the queue's lock. */
    private final Object lifecycle = new Object();
    // Guarded by lifecycle.
    private final WorkerThreads workers;
    private int unhandledAtStop;

    /**
     * Creates a queue; no thread runs until {@link #start()}, but envelopes may be sent already.
     * @param settings the queue's settings
     * @param receiver the pipeline entry each envelope is handed to
     */
    public LocalQueue(LocalQueueSettings settings, EnvelopeReceiver receiver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.destination = new Destination(LocalTransport.SCHEME, settings.name());
        this.address = destination.toString();
        this.capacity = settings.capacity();
        this.publishTimeoutNanos = saturatedNanos(settings.publishTimeout());
        this.workers = new WorkerThreads(settings.name());
        Function<Envelope, @Nullable Object> partitionKey = settings.partitionKey();
        this.buffer = (settings.mode() == LocalQueueMode.PARTITIONED && partitionKey != null)
                ? new PartitionedBuffer(partitionKey)
                : new FifoBuffer(capacity);
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
     * Starts the queue's {@code parallelism} daemon worker threads, named
     * {@code critter-<name>-<n>}. Does nothing when already running.
     * @throws IllegalStateException when the queue was stopped; a stopped queue does not restart
     */
    public void start() {
        synchronized (lifecycle) {
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
            } finally {
                lock.unlock();
            }
            workers.start(settings.parallelism(), this::work);
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
        Objects.requireNonNull(envelope, "envelope");
        // The key function is user code: run it before taking the lock.
        @Nullable Object key = buffer.keyOf(envelope);
        long admittedAboveCapacity = 0;
        int depthAtAdmission = 0;
        lock.lock();
        try {
            if (fromHandler) {
                if (state == State.TERMINATED) {
                    throw stopped();
                }
                if (buffer.size() >= capacity) {
                    overCapacityAdmissions++;
                    if (overCapacityWarningDue()) {
                        admittedAboveCapacity = overCapacityAdmissions;
                        depthAtAdmission = buffer.size() + 1;
                    }
                }
            } else {
                awaitRoom();
            }
            if (buffer.add(envelope, key) && idleWorkers > 0) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (admittedAboveCapacity > 0) {
            logger.warn("Local queue '" + settings.name() + "' admitted handlers' messages above its capacity of "
                    + capacity + " (depth now " + depthAtAdmission + ", " + admittedAboveCapacity
                    + " such admissions so far); publishers outside handlers wait until the depth falls. "
                    + "Raise critter.local.queues." + settings.name() + ".capacity if this persists");
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
            lock.unlock();
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
                if (buffer.size() < capacity) {
                    return;
                }
                if (nanos <= 0) {
                    throw new QueueFullException(settings.name(), capacity, settings.publishTimeout());
                }
                nanos = notFull.awaitNanos(nanos);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for room in local queue '"
                    + settings.name() + "'; the message was not accepted", ex);
        } finally {
            blockedPublishers--;
        }
    }

    private boolean overCapacityWarningDue() {
        long now = System.nanoTime();
        if (overCapacityAdmissions == 1 || now - lastOverCapacityWarning >= OVER_CAPACITY_WARN_INTERVAL_NANOS) {
            lastOverCapacityWarning = now;
            return true;
        }
        return false;
    }

    private IllegalStateException stopped() {
        return new IllegalStateException("Local queue '" + settings.name()
                + "' is stopped and no longer accepts messages");
    }

    /** A worker's loop: finish the previous envelope and take the next in one lock acquisition. */
    private void work() {
        EnvelopeBuffer.Claim claim = new EnvelopeBuffer.Claim();
        @Nullable Envelope envelope = null;
        while (true) {
            lock.lock();
            try {
                if (envelope != null) {
                    finish(claim);
                }
                envelope = take(claim);
            } finally {
                lock.unlock();
            }
            if (envelope == null) {
                return;
            }
            handle(envelope);
        }
    }

    /** Waits for an envelope this worker may take; {@code null} when the worker must exit. Under the lock. */
    private @Nullable Envelope take(EnvelopeBuffer.Claim claim) {
        while (!workersMustExit) {
            Envelope envelope = buffer.poll(claim);
            if (envelope != null) {
                inFlight++;
                if (blockedPublishers > 0 && buffer.size() < capacity) {
                    notFull.signal();
                }
                return envelope;
            }
            idleWorkers++;
            try {
                notEmpty.await();
            } catch (InterruptedException ex) {
                // Only stop() interrupts a waiting worker on purpose, after setting workersMustExit;
                // a stray interrupt left by handler code must not cost the queue a worker.
            } finally {
                idleWorkers--;
            }
        }
        return null;
    }

    /** Records that this worker's envelope is handled; under the lock. */
    private void finish(EnvelopeBuffer.Claim claim) {
        inFlight--;
        buffer.release(claim);
        if (state == State.DRAINING && inFlight == 0 && buffer.size() == 0) {
            drained.signalAll();
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
     * Envelopes still queued are logged by count. Calling it again returns the first result.
     * @param drainTimeout how long to let queued and in-flight envelopes finish
     * @return how many envelopes were still queued, unhandled, when the workers stopped; an
     *         envelope whose handler was interrupted is its handler's to requeue or fail, and a
     *         requeue during the stop is counted here
     */
    public int stop(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        synchronized (lifecycle) {
            lock.lock();
            try {
                if (state == State.TERMINATED) {
                    return unhandledAtStop;
                }
                boolean started = state == State.RUNNING;
                state = State.DRAINING;
                notFull.signalAll();
                if (started) {
                    awaitDrained(saturatedNanos(drainTimeout));
                }
                workersMustExit = true;
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
            workers.interruptAndJoin();
            lock.lock();
            try {
                // Counted after the join: requeues by interrupted handlers are left unhandled too.
                state = State.TERMINATED;
                unhandledAtStop = buffer.size();
            } finally {
                lock.unlock();
            }
            if (unhandledAtStop > 0) {
                logger.warn(unhandledAtStop + " non-durable messages still queued in local queue '"
                        + settings.name() + "' were not handled");
            }
            return unhandledAtStop;
        }
    }

    private void awaitDrained(long nanos) {
        try {
            while ((buffer.size() > 0 || inFlight > 0) && nanos > 0) {
                nanos = drained.awaitNanos(nanos);
            }
        } catch (InterruptedException ex) {
            // Shut down without further draining, and let the caller see it was interrupted.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Counts the envelopes waiting to be handled, not those being handled.
     * @return the queue's depth
     */
    public int depth() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
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
            lock.unlock();
        }
    }

    /**
     * Counts the handler sends admitted while the queue was at or above capacity, since creation.
     * @return the number of over-capacity admissions
     */
    public long overCapacityAdmissions() {
        lock.lock();
        try {
            return overCapacityAdmissions;
        } finally {
            lock.unlock();
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
            lock.unlock();
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
