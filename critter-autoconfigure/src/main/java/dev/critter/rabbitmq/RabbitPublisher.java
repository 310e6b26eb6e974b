package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Publishes with publisher confirms, in batches: one thread takes what senders buffered (up to
 * the confirm batch), publishes it on one confirm-mode channel and waits once for the broker's
 * confirms of the whole batch, as the raw client's {@code waitForConfirms} every N does, instead
 * of a template round trip per message. A message counts as sent only once confirmed; a batch
 * the broker nacks, or whose confirms do not come, is published again (at least once). While the
 * broker is away (restart, dropped connection) the batch waits and is published again, backing off
 * up to the recovery interval, on a new channel of a new connection.
 */
final class RabbitPublisher {

    private static final Log logger = LogFactory.getLog(RabbitPublisher.class);

    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    /** One message waiting for the broker. */
    record Pending(String exchange, String routingKey, RabbitWireFormat.Outgoing message) {
    }

    private final ConnectionFactory connections;
    private final RabbitSettings settings;
    private final BlockingQueue<Pending> buffer;
    private final AtomicLong confirmed = new AtomicLong();
    private final Object lock = new Object();
    private volatile boolean running;
    private final ExponentialBackOff retryPauses;
    private volatile int inBatch;
    private volatile @Nullable String lastFailure;
    private @Nullable Thread thread;
    private @Nullable Channel channel;

    RabbitPublisher(ConnectionFactory connections, RabbitSettings settings) {
        this.connections = connections;
        this.settings = settings;
        this.buffer = new ArrayBlockingQueue<>(settings.publisherCapacity());
        // While the broker is away: 100 ms, doubling up to the recovery interval.
        this.retryPauses = new ExponentialBackOff(Math.min(100, settings.recoveryInterval().toMillis()), 2.0);
        this.retryPauses.setMaxInterval(Math.max(1, settings.recoveryInterval().toMillis()));
    }

    /** Why the last publish attempt failed, or null once a batch was confirmed since. */
    @Nullable String lastFailure() {
        return lastFailure;
    }

    /**
     * Buffers a message for publishing, waiting up to the publish timeout for room.
     * @throws IllegalStateException when the publisher is stopped or stayed full
     */
    void publish(Pending pending) {
        if (!running) {
            throw new IllegalStateException("The RabbitMQ publisher is stopped; the message to " + pending.exchange()
                    + "/" + pending.routingKey() + " was not accepted");
        }
        try {
            if (!buffer.offer(pending, settings.publishTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("The RabbitMQ publisher's buffer stayed full (capacity "
                        + settings.publisherCapacity() + ") for " + settings.publishTimeout()
                        + ": is the broker reachable? Raise critter.rabbitmq.publisher-capacity if it is only slow");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for room in the RabbitMQ publisher's buffer", ex);
        }
    }

    /** Returns how many messages the broker confirmed. */
    long confirmed() {
        return confirmed.get();
    }

    /** Returns how many messages are buffered or published but not confirmed yet. */
    int pending() {
        return buffer.size() + inBatch;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread worker = new Thread(this::run, "critter-rabbitmq-publisher");
        worker.setDaemon(true);
        worker.start();
        thread = worker;
    }

    /** Stops taking messages and publishes what is buffered, within the timeout; reports what it abandons. */
    synchronized void stop(Duration timeout) {
        if (!running) {
            return;
        }
        running = false;
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(Math.max(1, timeout.toMillis()));
                if (worker.isAlive()) {
                    worker.interrupt();
                    worker.join(STOP_GRACE.toMillis());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        int abandoned = pending();
        if (abandoned > 0) {
            logger.warn("Critter stopped the RabbitMQ publisher with " + abandoned
                    + " message(s) not confirmed by the broker; they were not sent (no outbox: they are lost)");
        }
        closeChannel();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(settings.confirmBatch());
        while (running || !buffer.isEmpty()) {
            try {
                Pending first = buffer.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, settings.confirmBatch() - 1);
                inBatch = batch.size();
                BackOffExecution outage = null;
                while (!publishAndConfirm(batch)) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    if (outage == null) {
                        outage = retryPauses.start();
                    }
                    long pause = outage.nextBackOff();
                    Thread.sleep(pause == BackOffExecution.STOP ? settings.recoveryInterval().toMillis() : pause);
                }
                lastFailure = null;
                confirmed.addAndGet(batch.size());
                batch.clear();
                inBatch = 0;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Publishes the batch and waits for its confirms; false when it must be published again. */
    private boolean publishAndConfirm(List<Pending> batch) throws InterruptedException {
        try {
            Channel current = channel();
            for (Pending pending : batch) {
                current.basicPublish(pending.exchange(), pending.routingKey(), false,
                        pending.message().properties(), pending.message().body());
            }
            if (current.waitForConfirms(settings.confirmTimeout().toMillis())) {
                return true;
            }
            logger.warn("RabbitMQ nacked a batch of " + batch.size() + " message(s); publishing it again");
            lastFailure = "the broker nacked a batch";
            return false;
        } catch (java.util.concurrent.TimeoutException ex) {
            logger.warn("RabbitMQ did not confirm a batch of " + batch.size() + " message(s) within "
                    + settings.confirmTimeout() + "; publishing it again on a new channel");
            lastFailure = "no confirms within " + settings.confirmTimeout();
            closeChannel();
            return false;
        } catch (java.io.IOException | RuntimeException ex) {
            if (lastFailure == null) {
                logger.warn("Publishing " + batch.size() + " message(s) to RabbitMQ failed (" + ex
                        + "); publishing them again once the broker is back (unconfirmed messages are kept)");
            } else if (logger.isDebugEnabled()) {
                logger.debug("Publishing to RabbitMQ failed again: " + ex);
            }
            lastFailure = String.valueOf(ex.getMessage());
            closeChannel();
            return false;
        }
    }

    private Channel channel() throws java.io.IOException {
        synchronized (lock) {
            Channel current = channel;
            if (current == null || !current.isOpen()) {
                current = RabbitChannels.open(connections);
                current.confirmSelect();
                channel = current;
            }
            return current;
        }
    }

    private void closeChannel() {
        synchronized (lock) {
            Channel current = channel;
            channel = null;
            // Closed for real: a confirm-mode channel must not go back to the factory's cache.
            RabbitChannels.close(current);
        }
    }
}
