package dev.critter.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.critter.DeadLetter;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeHeaders;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Inbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Consumes one queue (buffered: deliveries live in memory until handled). The broker sends up to
 * {@code prefetch} unacknowledged deliveries; {@code parallelism} workers hand them to the
 * pipeline and acknowledge each once the pipeline is done with it (handled, or dead-lettered by
 * its error policy), consecutive handled deliveries in one {@code multiple} ack while more work is
 * queued (see {@link ConsecutiveAcks}). Since nothing is acked before, the prefetch bounds the
 * local work: while the workers are busy and the prefetch is used up, the broker sends nothing more. A delivery that
 * does not read as a known message type goes to the queue's dead-letter queue with the reason in
 * headers, then is acked; the listener keeps consuming.
 * <p>
 * When its channel or connection is lost (broker restart, connection closed by an operator, the
 * broker cancelling the consumer), the listener consumes again on a new channel as soon as the
 * broker lets it, backing off while it does not; deliveries it had not acknowledged go back to
 * the queue (the broker redelivers them), and those not yet started are not handled twice.
 */
final class RabbitQueueListener {

    private static final Log logger = LogFactory.getLog(RabbitQueueListener.class);

    private final RabbitListenerSettings settings;
    private final RabbitBroker broker;
    private final EnvelopeReceiver receiver;
    private final Endpoint from;
    private final RabbitListenerFigures figures = new RabbitListenerFigures();
    private final AtomicInteger threads = new AtomicInteger();
    private final Object lock = new Object();
    // One attempt at a time: the watchdog and the channel's own signal must not start two chains of attempts.
    private final AtomicBoolean attemptScheduled = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean consuming;
    private volatile @Nullable String lastFailure;
    // Guarded by lock.
    private @Nullable ThreadPoolExecutor workers;
    private @Nullable Channel channel;
    private volatile @Nullable Consumer consumer;
    private @Nullable BackOffExecution outage;
    private final Object deadLetterLock = new Object();
    private @Nullable Channel deadLetterChannel;
    /** The durable path (store, ack, handle from the inbox), or null for a buffered listener. */
    private final @Nullable RabbitInboxDeliveries inboxDeliveries;

    RabbitQueueListener(RabbitListenerSettings settings, RabbitBroker broker, EnvelopeReceiver receiver, Endpoint from) {
        this(settings, broker, receiver, from, null);
    }

    /**
     * Creates a listener; a durable one stores its deliveries in the inbox before acking them.
     * @param inbox the inbox, required when the settings say durable
     */
    RabbitQueueListener(RabbitListenerSettings settings, RabbitBroker broker, EnvelopeReceiver receiver, Endpoint from,
                        @Nullable Inbox inbox) {
        this.settings = settings;
        this.broker = broker;
        this.receiver = receiver;
        // Handlers see the listener's own endpoint: a handler that exhausts its policy is dead-lettered
        // to the queue's dead-letter queue with the exact delivery.
        this.from = new RabbitDeliveryEndpoint(from, this::deadLetterHandled);
        this.inboxDeliveries = settings.durable()
                ? RabbitInboxDeliveries.create(settings, broker.wire(), from.destination(), receiver,
                        Objects.requireNonNull(inbox, "inbox of a durable listener"), figures)
                : null;
    }

    boolean durable() {
        return inboxDeliveries != null;
    }

    String queue() {
        return settings.queue();
    }

    int parallelism() {
        return settings.parallelism();
    }

    int prefetch() {
        return settings.prefetch();
    }

    RabbitListenerFigures figures() {
        return figures;
    }

    /** Whether the broker confirmed this listener's consumer and its channel is still open. */
    boolean consuming() {
        Channel current = channel;
        return running && consuming && current != null && current.isOpen();
    }

    /** Why the listener last failed to consume, or null while it consumes. */
    @Nullable String lastFailure() {
        return lastFailure;
    }

    /** Starts consuming; fails when the queue cannot be consumed now (start-up must say so). */
    void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            String queue = settings.queue();
            // The queue never holds more than the prefetch: the broker stops sending at that many unacked.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.parallelism(), settings.parallelism(), 60,
                    TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.prefetch() + settings.parallelism()), runnable -> {
                        Thread thread = new Thread(runnable, "critter-rabbitmq-" + queue + "-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.CallerRunsPolicy());
            workers = pool;
            running = true;
            try {
                if (inboxDeliveries != null) {
                    inboxDeliveries.start();
                }
                consume(pool);
            } catch (IOException | RuntimeException ex) {
                running = false;
                pool.shutdownNow();
                if (inboxDeliveries != null) {
                    inboxDeliveries.stop(Duration.ZERO);
                }
                throw new IllegalStateException("Critter could not listen to RabbitMQ queue '" + queue + "': " + ex, ex);
            }
        }
    }

    /** Opens a channel, applies the prefetch and registers the consumer; returns once the broker confirmed it. */
    private void consume(ThreadPoolExecutor pool) throws IOException {
        Channel opened = RabbitChannels.open(broker.connections());
        try {
            opened.basicQos(settings.prefetch());
            Consumer created = new Consumer(opened, pool);
            consumer = created;
            channel = opened;
            opened.basicConsume(settings.queue(), false, created);
            consuming = true;
            lastFailure = null;
        } catch (IOException | RuntimeException ex) {
            consumer = null;
            channel = null;
            RabbitChannels.close(opened);
            throw ex;
        }
    }

    /** Hears that a consumer stopped receiving; if it is the current one and the listener runs, recovers. */
    private void lost(Consumer which, String why) {
        if (!running || which != consumer) {
            return;
        }
        consuming = false;
        lastFailure = why;
        logger.warn("RabbitMQ listener " + settings.queue() + " stopped receiving (" + why + "); consuming again as soon "
                + "as the broker lets it. Unacknowledged deliveries go back to the queue.");
        scheduleRecovery(0);
    }

    private void scheduleRecovery(long delayMillis) {
        if (attemptScheduled.compareAndSet(false, true)) {
            broker.recovery().schedule(this::recover, delayMillis);
        }
    }

    /** The watchdog's check: a listener whose channel closed without telling is recovered too. */
    void verify() {
        if (!running || consuming()) {
            return;
        }
        Consumer current = consumer;
        if (consuming && current != null) {
            lost(current, "its channel closed without notice");
        } else {
            // Already known lost: an attempt is pending or running, or this one starts it.
            scheduleRecovery(0);
        }
    }

    private void recover() {
        attemptScheduled.set(false);
        synchronized (lock) {
            ThreadPoolExecutor pool = workers;
            if (!running || pool == null || consuming()) {
                return;
            }
            consuming = false;
            consumer = null;
            RabbitChannels.close(channel);
            channel = null;
            BackOffExecution backOff = outage;
            if (backOff == null) {
                backOff = broker.recovery().outage();
                outage = backOff;
            }
            try {
                RabbitTopology provisioning = broker.provisioning();
                // A broker that lost a non-durable definition (the reply queue after a restart), or an
                // operator who deleted the queue.
                if (settings.replyQueue()) {
                    broker.topology().declareReplyQueue(settings.queue());
                } else if (provisioning != null) {
                    provisioning.declareQueue(settings.queue());
                }
                consume(pool);
                outage = null;
                figures.recovered();
                logger.info("RabbitMQ listener " + settings.queue() + " consumes again");
            } catch (IOException | RuntimeException ex) {
                lastFailure = String.valueOf(ex.getMessage());
                long pause = backOff.nextBackOff();
                if (pause == BackOffExecution.STOP) {
                    pause = broker.recovery().interval().toMillis();
                }
                logger.warn("RabbitMQ listener " + settings.queue() + " cannot consume yet (" + ex + "); trying again in "
                        + pause + " ms");
                scheduleRecovery(pause);
            }
        }
    }

    /** Stops taking deliveries and lets handled ones finish within the timeout; unacked ones go back to the queue. */
    void stop(Duration timeout) {
        running = false;
        ThreadPoolExecutor pool;
        Channel consumingChannel;
        synchronized (lock) {
            pool = workers;
            consumingChannel = channel;
            Consumer current = consumer;
            if (consumingChannel != null && current != null && consumingChannel.isOpen()
                    && current.getConsumerTag() != null) {
                try {
                    consumingChannel.basicCancel(current.getConsumerTag());
                } catch (IOException | RuntimeException ex) {
                    logger.debug("Cancelling the consumer of " + settings.queue() + " failed", ex);
                }
            }
            consuming = false;
        }
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    int left = pool.shutdownNow().size();
                    logger.warn("RabbitMQ listener " + settings.queue() + " stopped with deliveries still in flight ("
                            + left + " not started); the broker delivers them again");
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (inboxDeliveries != null) {
            // Before the channel closes, so the last stored batch is acked.
            inboxDeliveries.stop(timeout);
        }
        synchronized (lock) {
            Consumer last = consumer;
            if (last != null && channel != null && channel.isOpen()) {
                // Handled deliveries whose ack still waited for company: acked now, not redelivered.
                last.flushAcks();
            }
            RabbitChannels.close(channel);
            channel = null;
            consumer = null;
        }
        synchronized (deadLetterLock) {
            RabbitChannels.close(deadLetterChannel);
            deadLetterChannel = null;
        }
    }

    /** Counts a delivery of this listener whose handlers exhausted their error policy. */
    void handlerDeadLettered() {
        figures.deadLettered();
    }

    private void handle(Consumer consumer, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
        Channel consuming = consumer.getChannel();
        if (!consuming.isOpen()) {
            // Its channel is gone: the broker delivers it again on the new one; handling it here would do it twice.
            return;
        }
        long tag = delivery.getDeliveryTag();
        dev.critter.Envelope envelope;
        try {
            envelope = broker.wire().read(properties, body, settings.defaultMessageType(), from.address());
        } catch (UnreadableMessageException ex) {
            deadLetter(consumer, tag, properties, body, ex.reason().code(), ex.getMessage());
            return;
        } catch (RuntimeException ex) {
            deadLetter(consumer, tag, properties, body, ex.getClass().getName(), ex.getMessage());
            return;
        }
        try {
            RabbitDeliveryEndpoint.during(new RabbitDeliveryEndpoint.Delivery(envelope.id(), properties, body),
                    () -> receiver.receive(envelope, from));
        } finally {
            // The pipeline retried or dead-lettered whatever failed: the delivery is done either way.
            ack(consumer, tag);
        }
    }

    /**
     * Publishes the exact delivery, with the reason in headers, to the queue's dead-letter queue
     * (through {@code critter.dead-letter}), and waits for the broker's confirm.
     */
    private void publishToDeadLetterQueue(AMQP.BasicProperties properties, byte[] body, String exceptionType,
                                          @Nullable String exceptionMessage, @Nullable String chainId)
            throws IOException, InterruptedException, java.util.concurrent.TimeoutException {
        String queue = settings.queue();
        Map<String, Object> headers = new HashMap<>();
        if (properties.getHeaders() != null) {
            headers.putAll(properties.getHeaders());
        }
        headers.put(RabbitWireFormat.EXCEPTION_TYPE, exceptionType);
        headers.put(RabbitWireFormat.EXCEPTION_MESSAGE, String.valueOf(exceptionMessage));
        headers.put(RabbitWireFormat.FAILED_AT, Instant.now().toString());
        headers.put(RabbitWireFormat.ORIGINAL_QUEUE, queue);
        if (chainId != null) {
            // Moved back to the queue, it runs only the handler that failed, not those that succeeded.
            headers.put(EnvelopeHeaders.CHAIN_ID, chainId);
        }
        AMQP.BasicProperties withReason = properties.builder().headers(headers).build();
        synchronized (deadLetterLock) {
            try {
                Channel out = deadLetterChannel();
                out.basicPublish(RabbitTopology.DEAD_LETTER_EXCHANGE, queue, false, withReason, body);
                out.waitForConfirmsOrDie(30_000);
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
                RabbitChannels.close(deadLetterChannel);
                deadLetterChannel = null;
                throw ex;
            }
        }
    }

    /**
     * A handler of a delivery exhausted its error policy: the delivery goes to the queue's
     * dead-letter queue with the failure in headers (then it is acked as handled).
     * @return false when the broker did not confirm it (Critter's dead-letter store keeps it instead)
     */
    private boolean deadLetterHandled(RabbitDeliveryEndpoint.Delivery delivery, DeadLetter letter) {
        try {
            publishToDeadLetterQueue(delivery.properties(), delivery.body(), letter.exceptionType(),
                    letter.exceptionMessage(), letter.handler());
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            logger.error("Could not publish a failed delivery of " + settings.queue() + " to "
                    + RabbitTopology.deadLetterQueueOf(settings.queue()) + " (" + ex + ")");
            return false;
        }
    }

    private void deadLetter(Consumer consumer, long tag, AMQP.BasicProperties properties, byte[] body,
                            String exceptionType, @Nullable String exceptionMessage) {
        String queue = settings.queue();
        try {
            publishToDeadLetterQueue(properties, body, exceptionType, exceptionMessage, null);
            logger.warn("Dead-lettered a delivery on RabbitMQ queue " + queue + " to " + RabbitTopology.deadLetterQueueOf(queue)
                    + " (type '" + RabbitWireFormat.typeNamed(properties) + "', " + exceptionType + "): " + exceptionMessage);
            figures.deadLettered();
            ack(consumer, tag);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            // Not acked: the broker delivers it again once the channel closes.
            logger.warn("Interrupted while dead-lettering a delivery of " + queue + "; the broker delivers it again");
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            // Without a confirmed copy in the dead-letter queue, the broker's own dead-lettering keeps it.
            logger.error("Could not publish a bad delivery of " + queue + " to " + RabbitTopology.deadLetterQueueOf(queue)
                    + "; rejecting it to the queue's dead-letter exchange instead (" + ex + ")");
            try {
                consumer.getChannel().basicReject(tag, false);
                figures.deadLettered();
                consumer.acks.settledElsewhere(tag, consumer::idle);
            } catch (IOException | RuntimeException rejectFailed) {
                logger.error("Rejecting a delivery of " + queue + " failed; the broker delivers it again", rejectFailed);
            }
        }
    }

    private Channel deadLetterChannel() throws IOException {
        Channel out = deadLetterChannel;
        if (out == null || !out.isOpen()) {
            out = RabbitChannels.open(broker.connections());
            out.confirmSelect();
            deadLetterChannel = out;
        }
        return out;
    }

    /** Acknowledges a handled delivery, with consecutive others in one frame while more work is queued. */
    private void ack(Consumer consumer, long tag) {
        try {
            figures.acked(consumer.acks.handled(tag, consumer::idle));
        } catch (IOException | RuntimeException ex) {
            logger.warn("Acknowledging a delivery of " + settings.queue() + " failed (" + ex
                    + "); the broker delivers it again (at least once)");
        }
    }

    /** Hands each delivery to a worker; the client's own dispatch thread never runs a handler. */
    private final class Consumer extends DefaultConsumer {
        private final ThreadPoolExecutor pool;
        private final ConsecutiveAcks acks;

        Consumer(Channel channel, ThreadPoolExecutor pool) {
            super(channel);
            this.pool = pool;
            // A quarter of the prefetch per frame at most, so the broker refills the prefetch in good time.
            this.acks = new ConsecutiveAcks(channel::basicAck, settings.prefetch() / 4);
        }

        /** Whether no delivery waits for a worker: then due acks go out now instead of waiting for company. */
        boolean idle() {
            return pool.getQueue().isEmpty();
        }

        void flushAcks() {
            try {
                figures.acked(acks.flush());
            } catch (IOException | RuntimeException ex) {
                logger.warn("Acknowledging the last handled deliveries of " + settings.queue() + " failed (" + ex
                        + "); the broker delivers them again (at least once)");
            }
        }

        @Override
        public void handleDelivery(String tag, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
            figures.received();
            if (inboxDeliveries != null) {
                // Durable: stored in batches and acked after their commit by the inbox path, not by ConsecutiveAcks.
                inboxDeliveries.received(getChannel(), delivery.getDeliveryTag(), properties, body);
                return;
            }
            pool.execute(() -> {
                try {
                    handle(this, delivery, properties, body);
                } catch (RuntimeException | Error ex) {
                    logger.error("Critter failed on a delivery of RabbitMQ queue " + settings.queue(), ex);
                }
            });
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
            lost(this, "channel closed: " + signal.getMessage());
        }

        @Override
        public void handleCancel(String tag) {
            lost(this, "the broker cancelled the consumer (queue deleted?)");
        }
    }
}
