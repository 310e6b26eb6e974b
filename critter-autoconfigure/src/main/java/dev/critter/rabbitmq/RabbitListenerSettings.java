package dev.critter.rabbitmq;

import org.jspecify.annotations.Nullable;

/**
 * One listener's resolved settings.
 * @param queue the queue consumed
 * @param parallelism how many handlers run at once
 * @param prefetch the unacknowledged deliveries the broker sends ahead
 * @param defaultMessageType the type assumed for deliveries naming none, or null
 * @param replyQueue whether the queue is this node's reply queue (declared non-durable, expiring when unused)
 * @param durable whether deliveries are stored in the inbox before they are acknowledged
 */
record RabbitListenerSettings(String queue, int parallelism, int prefetch, @Nullable String defaultMessageType,
                              boolean replyQueue, boolean durable) {
}
