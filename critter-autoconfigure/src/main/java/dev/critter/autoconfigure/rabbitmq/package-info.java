/** Spring Boot auto-configuration and configuration properties for Critter's RabbitMQ transport. */
@NullMarked
package dev.critter.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
