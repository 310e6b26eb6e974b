package dev.critter.rabbitmq;

import java.time.Duration;

/**
 * The RabbitMQ transport's settings, resolved at start-up from {@code critter.rabbitmq.*}.
 * @param autoProvision whether exchanges, queues, bindings and dead-letter queues are declared at start-up
 * @param defaultParallelism a listener's parallelism when it sets none
 * @param defaultPrefetch a listener's prefetch when it sets none
 * @param publisherCapacity how many envelopes wait for the publisher before senders wait
 * @param confirmBatch half the messages the publisher keeps published and awaiting their confirms at once
 * @param confirmTimeout how long messages may await the broker's confirms, none coming, before they are published again
 * @param publishTimeout how long a sender waits for room in the publisher's buffer
 * @param recoveryInterval the longest pause between two attempts to consume or publish again while the
 *                         broker is away, and how often the watchdog checks that every listener consumes
 * @param conventionalRouting whether message types without rules go to an exchange per type, and handled
 *                            types get a queue per type bound to it and listened to
 */
public record RabbitSettings(boolean autoProvision, int defaultParallelism, int defaultPrefetch, int publisherCapacity,
                             int confirmBatch, Duration confirmTimeout, Duration publishTimeout,
                             Duration recoveryInterval, boolean conventionalRouting) {

    /**
     * Checks the values.
     * @param autoProvision whether exchanges, queues, bindings and dead-letter queues are declared at start-up
     * @param defaultParallelism a listener's parallelism when it sets none
     * @param defaultPrefetch a listener's prefetch when it sets none
     * @param publisherCapacity how many envelopes wait for the publisher before senders wait
     * @param confirmBatch half the messages the publisher keeps published and awaiting their confirms at once
     * @param confirmTimeout how long messages may await the broker's confirms, none coming, before they are published again
     * @param publishTimeout how long a sender waits for room in the publisher's buffer
     * @param recoveryInterval the longest pause between two attempts to consume or publish again while the
     *                         broker is away, and how often the watchdog checks that every listener consumes
     * @param conventionalRouting whether message types without rules go to an exchange per type, and handled
     *                            types get a queue per type bound to it and listened to
     */
    public RabbitSettings {
        if (defaultParallelism < 1 || defaultPrefetch < 1 || publisherCapacity < 1 || confirmBatch < 1) {
            throw new IllegalArgumentException("Rabbit settings must be at least 1: parallelism " + defaultParallelism
                    + ", prefetch " + defaultPrefetch + ", publisher capacity " + publisherCapacity + ", confirm batch "
                    + confirmBatch);
        }
        if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
            throw new IllegalArgumentException("Rabbit recovery interval must be positive, was " + recoveryInterval);
        }
    }
}
