package dev.critter.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Consumes one queue (buffered: deliveries live in memory until handled). The broker sends up to
 * {@code prefetch} unacknowledged deliveries; {@code parallelism} workers hand them to the
 * pipeline and acknowledge each once the pipeline is done with it (handled, or dead-lettered by
 * its error policy). Since nothing is acked before, the prefetch bounds the local work: while the
 * workers are busy and the prefetch is used up, the broker sends nothing more. A delivery that
 * does not read as a known message type goes to the queue's dead-letter queue with the reason in
 * headers, then is acked; the listener keeps consuming.
 */
final class RabbitQueueListener {

    private static final Log logger = LogFactory.getLog(RabbitQueueListener.class);

    private final String queue;
    private final int parallelism;
    private final int prefetch;
    private final @Nullable String defaultType;
    private final ConnectionFactory connections;
    private final RabbitWireFormat wire;
    private final EnvelopeReceiver receiver;
    private final Endpoint from;
    private final AtomicInteger threads = new AtomicInteger();
    private @Nullable ThreadPoolExecutor workers;
    private @Nullable Channel channel;
    private @Nullable Channel deadLetterChannel;
    private @Nullable String consumerTag;

    RabbitQueueListener(String queue, int parallelism, int prefetch, @Nullable String defaultType,
                        ConnectionFactory connections, RabbitWireFormat wire, EnvelopeReceiver receiver, Endpoint from) {
        this.queue = queue;
        this.parallelism = parallelism;
        this.prefetch = prefetch;
        this.defaultType = defaultType;
        this.connections = connections;
        this.wire = wire;
        this.receiver = receiver;
        this.from = from;
    }

    String queue() {
        return queue;
    }

    int parallelism() {
        return parallelism;
    }

    int prefetch() {
        return prefetch;
    }

    synchronized void start() {
        // The queue never holds more than the prefetch: the broker stops sending at that many unacked.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(prefetch + parallelism), runnable -> {
                    Thread thread = new Thread(runnable, "critter-rabbitmq-" + queue + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        workers = pool;
        try {
            Channel consuming = connections.createConnection().createChannel(false);
            consuming.basicQos(prefetch);
            channel = consuming;
            consumerTag = consuming.basicConsume(queue, false, new Consumer(consuming, pool));
        } catch (IOException | RuntimeException ex) {
            pool.shutdownNow();
            throw new IllegalStateException("Critter could not listen to RabbitMQ queue '" + queue + "': " + ex, ex);
        }
    }

    /** Stops taking deliveries and lets handled ones finish within the timeout; unacked ones go back to the queue. */
    synchronized void stop(Duration timeout) {
        Channel consuming = channel;
        if (consuming != null && consumerTag != null && consuming.isOpen()) {
            try {
                consuming.basicCancel(consumerTag);
            } catch (IOException | RuntimeException ex) {
                logger.debug("Cancelling the consumer of " + queue + " failed", ex);
            }
        }
        ThreadPoolExecutor pool = workers;
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    int left = pool.shutdownNow().size();
                    logger.warn("RabbitMQ listener " + queue + " stopped with deliveries still in flight (" + left
                            + " not started); the broker delivers them again");
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        closeForReal(consuming);
        closeForReal(deadLetterChannel);
        channel = null;
        deadLetterChannel = null;
    }

    private void handle(Channel consuming, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
        long tag = delivery.getDeliveryTag();
        dev.critter.Envelope envelope;
        try {
            envelope = wire.read(properties, body, defaultType, from.address());
        } catch (UnreadableMessageException ex) {
            deadLetter(consuming, tag, properties, body, ex.reason().code(), ex.getMessage());
            return;
        } catch (RuntimeException ex) {
            deadLetter(consuming, tag, properties, body, ex.getClass().getName(), ex.getMessage());
            return;
        }
        try {
            receiver.receive(envelope, from);
        } finally {
            // The pipeline retried or dead-lettered whatever failed: the delivery is done either way.
            ack(consuming, tag);
        }
    }

    private void deadLetter(Channel consuming, long tag, AMQP.BasicProperties properties, byte[] body,
                            String exceptionType, @Nullable String exceptionMessage) {
        Map<String, Object> headers = new HashMap<>();
        if (properties.getHeaders() != null) {
            headers.putAll(properties.getHeaders());
        }
        headers.put(RabbitWireFormat.EXCEPTION_TYPE, exceptionType);
        headers.put(RabbitWireFormat.EXCEPTION_MESSAGE, String.valueOf(exceptionMessage));
        headers.put(RabbitWireFormat.FAILED_AT, Instant.now().toString());
        headers.put(RabbitWireFormat.ORIGINAL_QUEUE, queue);
        AMQP.BasicProperties withReason = properties.builder().headers(headers).build();
        try {
            Channel out = deadLetterChannel();
            out.basicPublish(RabbitTopology.DEAD_LETTER_EXCHANGE, queue, false, withReason, body);
            out.waitForConfirmsOrDie(30_000);
            logger.warn("Dead-lettered a delivery on RabbitMQ queue " + queue + " to " + RabbitTopology.deadLetterQueueOf(queue)
                    + " (type '" + RabbitWireFormat.typeNamed(properties) + "', " + exceptionType + "): " + exceptionMessage);
            ack(consuming, tag);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            // Not acked: the broker delivers it again once the channel closes.
            logger.warn("Interrupted while dead-lettering a delivery of " + queue + "; the broker delivers it again");
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            // Without a confirmed copy in the dead-letter queue, the broker's own dead-lettering keeps it.
            logger.error("Could not publish a bad delivery of " + queue + " to " + RabbitTopology.deadLetterQueueOf(queue)
                    + "; rejecting it to the queue's dead-letter exchange instead (" + ex + ")");
            closeForReal(deadLetterChannel);
            deadLetterChannel = null;
            try {
                consuming.basicReject(tag, false);
            } catch (IOException | RuntimeException rejectFailed) {
                logger.error("Rejecting a delivery of " + queue + " failed; the broker delivers it again", rejectFailed);
            }
        }
    }

    private synchronized Channel deadLetterChannel() throws IOException {
        Channel out = deadLetterChannel;
        if (out == null || !out.isOpen()) {
            out = connections.createConnection().createChannel(false);
            out.confirmSelect();
            deadLetterChannel = out;
        }
        return out;
    }

    private void ack(Channel consuming, long tag) {
        try {
            consuming.basicAck(tag, false);
        } catch (IOException | RuntimeException ex) {
            logger.error("Acknowledging a delivery of " + queue + " failed; the broker delivers it again", ex);
        }
    }

    private static void closeForReal(@Nullable Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            Channel target = channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
            if (target.isOpen()) {
                target.close();
            }
        } catch (Exception ex) {
            logger.debug("Closing a RabbitMQ listener channel failed", ex);
        }
    }

    /** Hands each delivery to a worker; the client's own dispatch thread never runs a handler. */
    private final class Consumer extends DefaultConsumer {
        private final ThreadPoolExecutor pool;

        Consumer(Channel channel, ThreadPoolExecutor pool) {
            super(channel);
            this.pool = pool;
        }

        @Override
        public void handleDelivery(String tag, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
            Channel consuming = getChannel();
            pool.execute(() -> {
                try {
                    handle(consuming, delivery, properties, body);
                } catch (RuntimeException | Error ex) {
                    logger.error("Critter failed on a delivery of RabbitMQ queue " + queue, ex);
                }
            });
        }
    }
}
