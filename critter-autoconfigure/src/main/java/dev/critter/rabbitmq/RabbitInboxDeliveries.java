package dev.critter.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.Envelope;
import dev.critter.QueueFullException;
import dev.critter.local.DurableLocalQueue;
import dev.critter.local.LocalQueueSettings;
import dev.critter.local.WorkerSettings;
import dev.critter.transport.Destination;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Inbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The delivery path of a durable (inbox-backed) listener: deliveries are stored in the inbox in
 * batches, one group-committed insert per batch, and acknowledged only once that batch committed
 * (one multiple-ack up to the batch's highest delivery tag); they are then handled from the inbox
 * by a {@link DurableLocalQueue} kept under the listener's address ({@code rabbitmq://queue/q}),
 * with its guarantees: a crash loses nothing (the rows stay, and a live node or the next start
 * claims them), a redelivered id is dropped (idempotent receive), and a transactional handler's
 * handled mark commits with its work.
 * <p>
 * One thread stores: it waits for room in the in-memory queue (its capacity is the prefetch),
 * takes as many of the deliveries that arrived as there is room for, stores them, acks them, and
 * queues them. While the handlers lag, it waits for room, nothing is acked, the
 * prefetch fills up and the broker stops sending (back-pressure). Deliveries that do not read
 * are stored with their exact bytes and dead-lettered into the durable dead-letter store by the
 * pipeline, so every delivery of a batch is covered by its commit and the multiple-ack is exact.
 */
final class RabbitInboxDeliveries {

    private static final Log logger = LogFactory.getLog(RabbitInboxDeliveries.class);

    /** How long the storer waits for room at a time before it looks whether it should stop. */
    static final Duration ROOM_WAIT = Duration.ofMillis(250);

    private static final Received STOP = new Received(null, 0, null);

    private final RabbitListenerSettings settings;
    private final RabbitWireFormat wire;
    private final String address;
    private final DurableLocalQueue queue;
    private final RabbitListenerFigures figures;
    private final Duration retryDelay;
    private final int batchSize;
    // Holds at most a prefetch of deliveries per channel: the broker sends no more unacknowledged.
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private @Nullable Thread storer;

    /**
     * Creates the path, stopped.
     * @param settings the listener's settings
     * @param wire reads deliveries
     * @param address the listener's address, {@code rabbitmq://queue/q}
     * @param queue handles the stored envelopes, under that address
     * @param figures the listener's counters (acked)
     * @param retryDelay the pause before storing again a batch the database refused
     * @param batchSize the most deliveries stored by one insert
     */
    RabbitInboxDeliveries(RabbitListenerSettings settings, RabbitWireFormat wire, String address, DurableLocalQueue queue,
                          RabbitListenerFigures figures, Duration retryDelay, int batchSize) {
        this.settings = settings;
        this.wire = wire;
        this.address = address;
        this.queue = queue;
        this.figures = figures;
        this.retryDelay = retryDelay;
        this.batchSize = Math.max(1, batchSize);
    }

    /**
     * Creates the durable path of a listener: a durable queue under the listener's address, as
     * many workers as the listener's parallelism, room for a prefetch of deliveries in memory.
     * @param settings the listener's settings
     * @param wire reads deliveries
     * @param destination the listener's address, {@code rabbitmq://queue/q}
     * @param pipeline where stored envelopes are handled
     * @param inbox where they are stored
     * @param figures the listener's counters
     * @return the path, stopped
     */
    static RabbitInboxDeliveries create(RabbitListenerSettings settings, RabbitWireFormat wire, Destination destination,
                                        EnvelopeReceiver pipeline, Inbox inbox, RabbitListenerFigures figures) {
        DurableLocalQueue queue = DurableLocalQueue.under(destination,
                LocalQueueSettings.parallel(settings.queue(), settings.parallelism(), settings.prefetch(), ROOM_WAIT),
                pipeline, WorkerSettings.defaults(), inbox);
        return new RabbitInboxDeliveries(settings, wire, destination.toString(), queue, figures, inbox.retryDelay(),
                inbox.batchSize());
    }

    /** Starts the handling queue (which claims rows earlier runs and dead nodes left) and the storer. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        queue.start();
        Thread thread = new Thread(this::storeLoop, "critter-rabbitmq-" + settings.queue() + "-inbox");
        thread.setDaemon(true);
        storer = thread;
        thread.start();
    }

    /**
     * Takes one delivery, on the client's dispatch thread: read (bad input kept as raw bytes) and
     * handed to the storer. Nothing is acked here.
     */
    void received(Channel channel, long tag, AMQP.BasicProperties properties, byte[] body) {
        Envelope envelope = wire.readKeepingBadInput(properties, body, settings.defaultMessageType(), address);
        received.add(new Received(channel, tag, envelope));
    }

    /**
     * Stops storing (a batch being stored is finished and acked), then lets the queue finish what it
     * holds within the timeout and gives back the rows left. Call after the consumer was cancelled
     * and before its channel closes, so the last batch's ack reaches the broker.
     */
    void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread thread;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            thread = storer;
        }
        stopping.countDown();
        received.add(STOP);
        if (thread != null) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        queue.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private void storeLoop() {
        List<Received> batch = new ArrayList<>();
        while (running) {
            try {
                Received first = received.take();
                if (first == STOP || !awaitRoom()) {
                    return;
                }
                // No more than the room: the in-memory queue stays within its capacity (the prefetch).
                int room = Math.max(1, queue.settings().capacity() - queue.depth());
                batch.add(first);
                received.drainTo(batch, Math.min(room, batchSize) - 1);
                batch.removeIf(r -> r == STOP || !r.channel().isOpen()); // the broker gives those to the new channel
                if (!batch.isEmpty()) {
                    storeAndAck(batch);
                }
                batch.clear();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error ex) {
                // A later multiple-ack on these channels would cover deliveries never stored: close
                // them instead; the broker redelivers what was not acked on a new channel.
                logger.error("Durable RabbitMQ listener " + settings.queue() + " failed storing deliveries; closing "
                        + "its channel so the broker delivers them again", ex);
                batch.stream().filter(r -> r != STOP).map(Received::channel).distinct().forEach(RabbitChannels::close);
                batch.clear();
            }
        }
    }

    /** Waits until the in-memory queue has room (wakeable by stop); false when stopping. */
    private boolean awaitRoom() {
        while (running) {
            try {
                queue.awaitAccepting();
                return true;
            } catch (QueueFullException full) {
                // Handlers lag: nothing is acked meanwhile, so the broker stops at the prefetch.
            }
        }
        return false;
    }

    /**
     * Stores the batch in one commit, then acks it: a delivery is acked only once its row
     * committed. A refused insert is tried again after a pause while the channel stays open; if it
     * closes, the broker redelivers them and the new channel's batches store them.
     */
    private void storeAndAck(List<Received> batch) throws InterruptedException {
        List<Envelope> envelopes = new ArrayList<>(batch.size());
        batch.forEach(r -> envelopes.add(r.envelope()));
        long start = System.nanoTime();
        Inbox.BatchResult result;
        while (true) {
            try {
                result = queue.storeReceived(envelopes);
                if (logger.isDebugEnabled()) {
                    logger.debug("Stored " + result.stored().size() + " of " + envelopes.size() + " deliveries of "
                            + settings.queue() + " in one commit (" + (System.nanoTime() - start) / 1_000_000
                            + " ms); acking them");
                }
                break;
            } catch (RuntimeException ex) {
                boolean open = batch.stream().anyMatch(r -> r.channel().isOpen());
                logger.warn("Durable RabbitMQ listener " + settings.queue() + " could not store " + batch.size()
                        + " deliveries in the inbox (" + ex + "); they stay unacknowledged"
                        + (open ? " and are stored again in " + retryDelay.toMillis() + " ms" : " and the broker delivers them again"));
                if (!open || stopping.await(retryDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }
        if (result.refused().isEmpty()) {
            ack(batch);
        } else {
            settleOneByOne(batch, result.refused());
        }
    }

    /** One multiple-ack per channel, at the highest tag of the batch: every lower tag of it is stored too. */
    private void ack(List<Received> batch) {
        Map<Channel, long[]> highest = new LinkedHashMap<>();
        for (Received r : batch) {
            long[] tagAndCount = highest.computeIfAbsent(r.channel(), c -> new long[2]);
            tagAndCount[0] = Math.max(tagAndCount[0], r.tag());
            tagAndCount[1]++;
        }
        highest.forEach((channel, tagAndCount) -> {
            try {
                channel.basicAck(tagAndCount[0], true);
                for (long i = 0; i < tagAndCount[1]; i++) {
                    figures.acked();
                }
            } catch (IOException | RuntimeException ex) {
                // Stored already: the redelivery is dropped as a duplicate and acked then.
                logger.warn("Acknowledging " + tagAndCount[1] + " stored deliveries of " + settings.queue() + " failed ("
                        + ex + "); the broker delivers them again and the inbox drops them as duplicates");
            }
        });
    }

    /**
     * Some deliveries could not be stored on their own (the database refuses something in them):
     * the stored ones are acked one by one, the refused ones rejected without requeue, so the
     * broker moves them to the queue's dead-letter queue (its {@code x-dead-letter-exchange})
     * instead of redelivering them for ever. One the database failed for a passing reason (a lock
     * or serialization conflict, a lost connection) while it stored the batch row by row is not at
     * fault: it goes back to the queue (nack with requeue) and is stored when it comes again.
     */
    private void settleOneByOne(List<Received> batch, List<Inbox.Refused> refused) {
        Map<UUID, Inbox.Refused> reasons = new HashMap<>();
        refused.forEach(r -> reasons.put(r.entry().envelope().id(), r));
        for (Received r : batch) {
            Inbox.Refused refusal = reasons.get(r.envelope().id());
            try {
                if (refusal == null) {
                    r.channel().basicAck(r.tag(), false);
                    figures.acked();
                } else if (refusal.passing()) {
                    logger.warn("Storing a delivery of " + settings.queue() + " (" + r.envelope().messageType() + " "
                            + r.envelope().id() + ") failed for now (" + refusal.reason() + "); it goes back to the queue");
                    r.channel().basicNack(r.tag(), false, true);
                } else {
                    logger.error("The inbox refused a delivery of " + settings.queue() + " (" + r.envelope().messageType()
                            + " " + r.envelope().id() + "): rejecting it to the queue's dead-letter exchange", refusal.reason());
                    r.channel().basicReject(r.tag(), false);
                    figures.deadLettered();
                }
            } catch (IOException | RuntimeException ex) {
                logger.warn("Settling a delivery of " + settings.queue() + " failed (" + ex + "); the broker delivers it again");
            }
        }
    }

    /** A delivery waiting for the storer; {@link #STOP} has no channel. */
    private record Received(@Nullable Channel nullableChannel, long tag, @Nullable Envelope nullableEnvelope) {
        Channel channel() {
            return Objects.requireNonNull(nullableChannel);
        }

        Envelope envelope() {
            return Objects.requireNonNull(nullableEnvelope);
        }
    }
}
