/** The RabbitMQ transport: publishing with confirms, queue listeners, provisioning and the wire format. */
@NullMarked
package dev.critter.rabbitmq;

import org.jspecify.annotations.NullMarked;
