package dev.critter.rabbitmq;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * What the transport's listeners share: the connections, the wire format, the recovery thread,
 * and the topology to declare again before consuming after an outage (null without auto-provisioning).
 * @param connections Spring AMQP's connection factory
 * @param wire reads and writes AMQP messages
 * @param recovery schedules attempts to consume again
 * @param topology declares what Critter always owns (this node's reply queue)
 * @param provisioning declares a queue again before a listener consumes it after an outage, or null
 */
record RabbitBroker(ConnectionFactory connections, RabbitWireFormat wire, RabbitRecovery recovery,
                    RabbitTopology topology, @Nullable RabbitTopology provisioning) {
}
