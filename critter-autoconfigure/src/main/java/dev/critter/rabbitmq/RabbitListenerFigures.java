package dev.critter.rabbitmq;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one listener counted since start: deliveries received, acknowledged, dead-lettered (bad
 * input moved to its dead-letter queue, and handlers that exhausted their policy), and how often
 * it recovered after losing its channel. Read by the metrics and the health contributor.
 */
public final class RabbitListenerFigures {

    private final LongAdder received = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder recoveries = new LongAdder();

    RabbitListenerFigures() {
    }

    void received() {
        received.increment();
    }

    void acked() {
        acked.increment();
    }

    void acked(int deliveries) {
        acked.add(deliveries);
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void recovered() {
        recoveries.increment();
    }

    /**
     * Returns the deliveries received from the broker.
     * @return the deliveries received from the broker
     */
    public long receivedCount() {
        return received.sum();
    }

    /**
     * Returns the deliveries acknowledged to the broker.
     * @return the deliveries acknowledged to the broker
     */
    public long ackedCount() {
        return acked.sum();
    }

    /**
     * Returns the deliveries dead-lettered: bad input to the queue's dead-letter queue, and messages
     * whose handlers exhausted their error policy.
     * @return the deliveries dead-lettered
     */
    public long deadLetteredCount() {
        return deadLettered.sum();
    }

    /**
     * Returns how often the listener consumed again after losing its channel or connection.
     * @return how often the listener recovered
     */
    public long recoveryCount() {
        return recoveries.sum();
    }
}
