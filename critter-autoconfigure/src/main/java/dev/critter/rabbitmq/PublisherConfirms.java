package dev.critter.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One confirm-mode channel of the publisher and the messages published on it that await the
 * broker's confirm, by publish sequence number. The broker's acks and nacks arrive on the
 * connection's thread; one with {@code multiple=true} settles every message up to its sequence
 * number in one step. Each message is settled exactly once: by its confirm, by its nack (it goes
 * to be published again), or by {@link #takeAll} when the channel is given up (whichever removes
 * it first).
 */
final class PublisherConfirms implements ConfirmListener {

    private static final Log logger = LogFactory.getLog(PublisherConfirms.class);

    /** What becomes of a settled message; called on the connection's thread, so it must not block. */
    interface Settlement {
        /**
         * The broker confirmed the message.
         * @param pending the message
         */
        void confirmed(RabbitPublisher.Pending pending);

        /**
         * The broker refused the message: it is to be published again.
         * @param pending the message
         */
        void nacked(RabbitPublisher.Pending pending);
    }

    private final Channel channel;
    private final Settlement settlement;
    private final ConcurrentSkipListMap<Long, RabbitPublisher.Pending> outstanding = new ConcurrentSkipListMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile long lastProgress = System.nanoTime();
    private volatile @Nullable Thread waiting;

    PublisherConfirms(Channel channel, Settlement settlement) {
        this.channel = channel;
        this.settlement = settlement;
        channel.addConfirmListener(this);
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Returns how many messages published on this channel await their confirm. */
    int outstanding() {
        return count.get();
    }

    /**
     * Publishes a message and records it as awaiting its confirm (only the publisher's thread publishes).
     * @throws IOException when the channel fails; the message stays recorded, for {@link #takeAll}
     */
    void publish(RabbitPublisher.Pending pending) throws IOException {
        long sequence = channel.getNextPublishSeqNo();
        if (count.getAndIncrement() == 0) {
            // The confirm timeout counts from the oldest wait, not from the last confirm of an idle channel.
            lastProgress = System.nanoTime();
        }
        outstanding.put(sequence, pending);
        channel.basicPublish(pending.exchange(), pending.routingKey(), false, pending.message().properties(),
                pending.message().body());
    }

    /** Whether messages have waited longer than the timeout without any confirm coming. */
    boolean waitedLongerThan(Duration timeout) {
        return count.get() > 0 && System.nanoTime() - lastProgress > timeout.toNanos();
    }

    /** Parks the calling thread until a confirm makes room below the limit, or at most the given time. */
    void awaitRoom(int limit, long nanos) {
        waiting = Thread.currentThread();
        try {
            if (count.get() >= limit) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            waiting = null;
        }
    }

    /** Removes every message still awaiting its confirm, oldest first, for publishing again or failing. */
    List<RabbitPublisher.Pending> takeAll() {
        List<RabbitPublisher.Pending> left = new ArrayList<>(count.get());
        Map.Entry<Long, RabbitPublisher.Pending> entry;
        while ((entry = outstanding.pollFirstEntry()) != null) {
            left.add(entry.getValue());
        }
        count.addAndGet(-left.size());
        return left;
    }

    @Override
    public void handleAck(long sequence, boolean multiple) {
        settle(sequence, multiple, true);
    }

    @Override
    public void handleNack(long sequence, boolean multiple) {
        int refused = settle(sequence, multiple, false);
        if (refused > 0) {
            logger.warn("RabbitMQ nacked " + refused + " message(s); publishing them again");
        }
    }

    private int settle(long sequence, boolean multiple, boolean ack) {
        int settled = 0;
        if (multiple) {
            ConcurrentNavigableMap<Long, RabbitPublisher.Pending> upTo = outstanding.headMap(sequence, true);
            Map.Entry<Long, RabbitPublisher.Pending> entry;
            while ((entry = upTo.pollFirstEntry()) != null) {
                settled++;
                tell(entry.getValue(), ack);
            }
        } else {
            RabbitPublisher.Pending pending = outstanding.remove(sequence);
            if (pending != null) {
                settled++;
                tell(pending, ack);
            }
        }
        if (settled > 0) {
            count.addAndGet(-settled);
            lastProgress = System.nanoTime();
            Thread waiter = waiting;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
        return settled;
    }

    private void tell(RabbitPublisher.Pending pending, boolean ack) {
        if (ack) {
            settlement.confirmed(pending);
        } else {
            settlement.nacked(pending);
        }
    }
}
