package dev.critter.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Publishes with publisher confirms, pipelined: one thread takes what senders buffered and
 * publishes it on one confirm-mode channel without waiting, while the broker's confirms come back
 * on the connection's thread and settle what they cover ({@link PublisherConfirms}: a
 * {@code multiple} confirm settles every message up to its sequence number in one step). At most
 * two confirm batches ({@code 2 × critter.rabbitmq.confirm-batch}) wait for their confirms at once;
 * when that many do, the thread waits for confirms before publishing more, so the buffer fills
 * and senders wait (back-pressure). A message counts as sent only once confirmed; one the broker
 * nacks, or whose channel is lost or whose confirms do not come within the confirm timeout, is
 * published again (at least once). While the broker is away (restart, dropped connection) the
 * messages wait and are published again, backing off up to the recovery interval, on a new channel
 * of a new connection. A message published with a future learns its confirm through it: completed
 * on the publisher's thread once confirmed (never on the connection's thread, which must not
 * block), completed exceptionally when the publisher stops with it unconfirmed, never left hanging.
 */
final class RabbitPublisher {

    private static final Log logger = LogFactory.getLog(RabbitPublisher.class);

    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    /** Confirm batches that may wait for the broker at once. */
    private static final int BATCHES_IN_FLIGHT = 2;

    /** How often the thread looks at confirms, timeouts and the channel while messages wait for confirms. */
    private static final long CONFIRM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * One message waiting for the broker.
     * @param confirmed completed once the broker confirmed it; null when nobody waits for that
     */
    record Pending(String exchange, String routingKey, RabbitWireFormat.Outgoing message,
                   @Nullable CompletableFuture<Void> confirmed) {

        void confirm() {
            if (confirmed != null) {
                confirmed.complete(null);
            }
        }

        void abandon(RuntimeException reason) {
            if (confirmed != null) {
                confirmed.completeExceptionally(reason);
            }
        }
    }

    private final ConnectionFactory connections;
    private final RabbitSettings settings;
    private final BlockingQueue<Pending> buffer;
    /** Nacked, or left unconfirmed on a lost channel: published again before the buffer. */
    private final ConcurrentLinkedDeque<Pending> republish = new ConcurrentLinkedDeque<>();
    /** Confirmed messages whose futures the publisher's thread completes. */
    private final ConcurrentLinkedQueue<Pending> toComplete = new ConcurrentLinkedQueue<>();
    private final AtomicLong confirmed = new AtomicLong();
    private final int inFlightLimit;
    private final ExponentialBackOff retryPauses;
    private volatile boolean running;
    /** Set by a lost channel, a failed publish or a nack: the publisher's thread pauses before it goes on. */
    private volatile boolean failed;
    // The publisher's thread only.
    private @Nullable BackOffExecution failurePauses;
    private long confirmedAtFailure = -1;
    private volatile @Nullable String lastFailure;
    private @Nullable Thread thread;
    /** The channel published on now and what awaits its confirms; only the publisher's thread replaces it. */
    private volatile @Nullable PublisherConfirms current;

    RabbitPublisher(ConnectionFactory connections, RabbitSettings settings) {
        this.connections = connections;
        this.settings = settings;
        this.buffer = new ArrayBlockingQueue<>(settings.publisherCapacity());
        this.inFlightLimit = Math.max(1, settings.confirmBatch() * BATCHES_IN_FLIGHT);
        // While the broker is away: 100 ms, doubling up to the recovery interval.
        this.retryPauses = new ExponentialBackOff(Math.min(100, settings.recoveryInterval().toMillis()), 2.0);
        this.retryPauses.setMaxInterval(Math.max(1, settings.recoveryInterval().toMillis()));
    }

    /** Why the last publish attempt failed, or null once a message was confirmed since. */
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
            // Stopped while it waited for room: taken back, unless stop() already failed it.
            if (!running && buffer.remove(pending)) {
                throw new IllegalStateException("The RabbitMQ publisher stopped; the message to " + pending.exchange()
                        + "/" + pending.routingKey() + " was not accepted");
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
        PublisherConfirms confirms = current;
        return buffer.size() + republish.size() + (confirms == null ? 0 : confirms.outstanding());
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
        completeConfirmed();
        int abandoned = pending();
        if (abandoned > 0) {
            logger.warn("Critter stopped the RabbitMQ publisher with " + abandoned
                    + " message(s) not confirmed by the broker; those published through the outbox stay in it "
                    + "and are sent again, the others are lost");
        }
        List<Pending> unconfirmed = new ArrayList<>();
        PublisherConfirms confirms = current;
        if (confirms != null) {
            unconfirmed.addAll(confirms.takeAll());
        }
        unconfirmed.addAll(republish);
        republish.clear();
        buffer.drainTo(unconfirmed);
        IllegalStateException stopped = new IllegalStateException(
                "The RabbitMQ publisher stopped before the broker confirmed the message");
        unconfirmed.forEach(pending -> pending.abandon(stopped));
        // Confirms that raced with the stop: their futures complete rather than stay open.
        completeConfirmed();
        closeChannel(false);
    }

    private void run() {
        while (running || !buffer.isEmpty() || !republish.isEmpty() || inFlight() > 0) {
            try {
                completeConfirmed();
                if (failed) {
                    // A lost channel, a failed publish or a nack: not again at once (the broker may be
                    // away, or refuse every channel and message), and less often while nothing is confirmed.
                    failed = false;
                    pauseAfterFailure();
                }
                PublisherConfirms confirms = usableChannel();
                if (confirms == null) {
                    failed = true;
                    continue;
                }
                if (confirms.outstanding() >= inFlightLimit) {
                    // The window is full: wait for confirms (back-pressure reaches the senders through the buffer).
                    confirms.awaitRoom(inFlightLimit, CONFIRM_POLL_NANOS);
                    continue;
                }
                Pending next = republish.pollFirst();
                if (next == null) {
                    next = buffer.poll(confirms.outstanding() > 0 ? CONFIRM_POLL_NANOS : IDLE_POLL_NANOS,
                            TimeUnit.NANOSECONDS);
                }
                if (next == null) {
                    continue;
                }
                publishOn(confirms, next);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        completeConfirmed();
    }

    /** Sleeps 100 ms after the first failure since a confirm, doubling up to the recovery interval after each next one. */
    private void pauseAfterFailure() throws InterruptedException {
        long confirmedNow = confirmed.get();
        if (failurePauses == null || confirmedNow != confirmedAtFailure) {
            failurePauses = retryPauses.start();
            confirmedAtFailure = confirmedNow;
        }
        long pause = failurePauses.nextBackOff();
        Thread.sleep(pause == BackOffExecution.STOP ? settings.recoveryInterval().toMillis() : pause);
    }

    private int inFlight() {
        PublisherConfirms confirms = current;
        return confirms == null ? 0 : confirms.outstanding();
    }

    /** Publishes one message; on failure it goes back for another attempt with everything unconfirmed. */
    private void publishOn(PublisherConfirms confirms, Pending pending) {
        try {
            confirms.publish(pending);
        } catch (IOException | RuntimeException ex) {
            if (lastFailure == null) {
                logger.warn("Publishing to RabbitMQ failed (" + ex + "); publishing again once the broker is back "
                        + "(unconfirmed messages are kept)");
            } else if (logger.isDebugEnabled()) {
                logger.debug("Publishing to RabbitMQ failed again: " + ex);
            }
            lastFailure = String.valueOf(ex.getMessage());
            failed = true;
            closeChannel(true);
        }
    }

    /**
     * Returns the channel to publish on, after taking back what a lost channel or a missed confirm
     * timeout left unconfirmed; null while no channel can be opened.
     */
    private @Nullable PublisherConfirms usableChannel() {
        PublisherConfirms confirms = current;
        if (confirms != null && !confirms.isOpen()) {
            logger.warn("The RabbitMQ publisher's channel closed with " + confirms.outstanding()
                    + " message(s) unconfirmed; publishing them again on a new channel");
            lastFailure = "the publisher's channel closed";
            closeChannel(true);
            return null;
        } else if (confirms != null && confirms.waitedLongerThan(settings.confirmTimeout())) {
            logger.warn("RabbitMQ did not confirm " + confirms.outstanding() + " message(s) within "
                    + settings.confirmTimeout() + "; publishing them again on a new channel");
            lastFailure = "no confirms within " + settings.confirmTimeout();
            closeChannel(true);
            return null;
        }
        if (confirms != null) {
            return confirms;
        }
        try {
            Channel channel = RabbitChannels.open(connections);
            channel.confirmSelect();
            PublisherConfirms opened = new PublisherConfirms(channel, settlement);
            current = opened;
            return opened;
        } catch (IOException | RuntimeException ex) {
            if (lastFailure == null) {
                logger.warn("Publishing to RabbitMQ failed (" + ex + "); publishing again once the broker is back "
                        + "(unconfirmed messages are kept)");
            }
            lastFailure = String.valueOf(ex.getMessage());
            return null;
        }
    }

    /** On the connection's thread: counts a confirm (its future completes on the publisher's thread) or takes a nack back. */
    private final PublisherConfirms.Settlement settlement = new PublisherConfirms.Settlement() {
        @Override
        public void confirmed(Pending pending) {
            confirmed.incrementAndGet();
            lastFailure = null;
            if (pending.confirmed() != null) {
                toComplete.add(pending);
            }
        }

        @Override
        public void nacked(Pending pending) {
            lastFailure = "the broker nacked a message";
            failed = true;
            republish.addFirst(pending);
        }
    };

    /** Confirmed: whoever waits (the outbox, to delete its rows) learns it now, on this thread. */
    private void completeConfirmed() {
        Pending done;
        while ((done = toComplete.poll()) != null) {
            done.confirm();
        }
    }

    /**
     * Closes the current channel; with {@code republish}, what it left unconfirmed is published
     * again (a confirm that raced with the close settles it instead: each message is settled once).
     */
    private void closeChannel(boolean republishUnconfirmed) {
        PublisherConfirms confirms = current;
        current = null;
        if (confirms == null) {
            return;
        }
        // Closed for real: a confirm-mode channel must not go back to the factory's cache.
        RabbitChannels.close(confirms.channel());
        if (republishUnconfirmed) {
            List<Pending> left = confirms.takeAll();
            for (int i = left.size() - 1; i >= 0; i--) {
                republish.addFirst(left.get(i));
            }
        }
    }
}
