package dev.critter.rabbitmq;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Acknowledges the deliveries of one consumer's channel, several in one {@code basic.ack} with
 * {@code multiple=true} where they are consecutive: fewer frames for the client to write and for
 * the broker to process than one ack per delivery. Only settled deliveries are ever covered: a
 * multiple ack goes up to the highest tag below which every delivery is settled (handled and to be
 * acked, or already rejected or acknowledged on its own), so a delivery still being handled is
 * never acknowledged early.
 * <p>
 * Acks wait until {@code batch} of them are due or the caller says nothing else is queued locally
 * ({@code flush}), so an idle listener acknowledges at once. A delivery that stays unsettled (a
 * slow handler) does not hold back the others for long: once {@code batch} settled deliveries wait
 * above it, or on a flush, they are acknowledged one by one, as before, so the prefetch never fills
 * up with handled deliveries.
 * <p>
 * Delivery tags of a channel are 1, 2, 3, ... in delivery order; the channel has one consumer.
 * Thread-safe: workers settle concurrently; acks go out in increasing order under one lock.
 */
final class ConsecutiveAcks {

    /** Sends an ack as {@code Channel.basicAck} does. */
    @FunctionalInterface
    interface Sender {
        /**
         * Acknowledges one delivery, or every one up to it.
         * @param tag the delivery tag
         * @param multiple whether every unacknowledged delivery up to the tag is acknowledged too
         * @throws IOException when the channel fails
         */
        void ack(long tag, boolean multiple) throws IOException;
    }

    private final Sender sender;
    private final int batch;
    /** Every tag up to this one is settled. */
    private long settledThrough;
    /** The highest tag up to {@link #settledThrough} that still awaits its ack; 0 when none. */
    private long ackable;
    /** How many deliveries up to {@link #ackable} await their ack. */
    private int due;
    /** Settled tags above {@link #settledThrough}: true while the ack is still to be sent. */
    private final TreeMap<Long, Boolean> above = new TreeMap<>();
    private int dueAbove;

    /**
     * Creates the acknowledger of one channel.
     * @param sender sends the acks on that channel
     * @param batch how many acks may wait for one frame while the listener has more work queued
     */
    ConsecutiveAcks(Sender sender, int batch) {
        this.sender = sender;
        this.batch = Math.max(1, batch);
    }

    /**
     * Marks a delivery handled, to be acknowledged, and sends what is due.
     * @param tag its delivery tag
     * @param flush asked after settling, under the lock: whether to send every due ack now (nothing
     *              else is queued locally), so the last settlement in lock order always sees the
     *              queue as the workers left it and sends what is due
     * @return how many deliveries this call acknowledged to the broker
     * @throws IOException when the channel fails; those deliveries go back to the queue with the channel
     */
    synchronized int handled(long tag, BooleanSupplier flush) throws IOException {
        settle(tag, true);
        return send(flush.getAsBoolean());
    }

    /**
     * Marks a delivery settled without an ack from here (rejected, or acknowledged on its own), so
     * multiple acks may cover the tags around it; sends what is due.
     * @param tag its delivery tag
     * @param flush asked after settling: whether to send every due ack now
     * @return how many deliveries this call acknowledged to the broker
     * @throws IOException when the channel fails
     */
    synchronized int settledElsewhere(long tag, BooleanSupplier flush) throws IOException {
        settle(tag, false);
        return send(flush.getAsBoolean());
    }

    /**
     * Sends every due ack: consecutive ones in one frame, those above an unsettled delivery one by one.
     * @return how many deliveries were acknowledged
     * @throws IOException when the channel fails
     */
    synchronized int flush() throws IOException {
        int sent = sendConsecutive();
        return sent + sendAbove();
    }

    private void settle(long tag, boolean toAck) {
        if (tag <= settledThrough || above.containsKey(tag)) {
            // Settled twice (a redelivery race): the first settlement stands.
            return;
        }
        if (tag != settledThrough + 1) {
            above.put(tag, toAck);
            if (toAck) {
                dueAbove++;
            }
            return;
        }
        advance(tag, toAck);
        Map.Entry<Long, Boolean> next;
        while ((next = above.firstEntry()) != null && next.getKey() == settledThrough + 1) {
            above.pollFirstEntry();
            if (next.getValue()) {
                dueAbove--;
            }
            advance(next.getKey(), next.getValue());
        }
    }

    private void advance(long tag, boolean toAck) {
        settledThrough = tag;
        if (toAck) {
            ackable = tag;
            due++;
        }
    }

    private int send(boolean flush) throws IOException {
        int sent = 0;
        if (due > 0 && (flush || due >= batch)) {
            sent += sendConsecutive();
        }
        if (dueAbove > 0 && (flush || dueAbove >= batch)) {
            // Something below is still in progress (idle listener, or a batch more got done meanwhile): ack those singly.
            sent += sendAbove();
        }
        return sent;
    }

    private int sendConsecutive() throws IOException {
        if (due == 0) {
            return 0;
        }
        int count = due;
        sender.ack(ackable, count > 1);
        due = 0;
        ackable = 0;
        return count;
    }

    private int sendAbove() throws IOException {
        int sent = 0;
        for (Map.Entry<Long, Boolean> entry : above.entrySet()) {
            if (entry.getValue()) {
                sender.ack(entry.getKey(), false);
                entry.setValue(false);
                dueAbove--;
                sent++;
            }
        }
        return sent;
    }
}
