package dev.critter;

import java.time.Duration;

/**
 * Thrown to a publisher when a bounded local queue stayed full for the whole publish timeout.
 * Nothing is dropped: the message was not accepted and the caller still holds it.
 */
public class QueueFullException extends RuntimeException {

    /** The queue that stayed full. */
    private final String queueName;

    /**
     * Creates the exception.
     * @param queueName the queue that stayed full
     * @param capacity its capacity
     * @param waited how long the publisher waited
     */
    public QueueFullException(String queueName, int capacity, Duration waited) {
        super("Local queue '" + queueName + "' stayed full (capacity " + capacity + ") for " + waited
                + "; the message was not accepted. Raise critter.local.queues." + queueName
                + ".capacity or parallelism, or critter.local.publish-timeout");
        this.queueName = queueName;
    }

    /**
     * Returns the name of the queue that stayed full.
     * @return the name of the queue that stayed full
     */
    public String queueName() {
        return queueName;
    }
}
