/** The RabbitMQ throughput comparison: Critter's publisher and listener beside Spring AMQP's and the raw client's. */
@NullMarked
package dev.critter.benchmarks.rabbit;

import org.jspecify.annotations.NullMarked;
