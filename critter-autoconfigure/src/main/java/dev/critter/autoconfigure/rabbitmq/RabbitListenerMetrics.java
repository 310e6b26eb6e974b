package dev.critter.autoconfigure.rabbitmq;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Marks that the RabbitMQ listeners' meters ({@code critter.rabbitmq.listener.*}) are registered
 * on the application's registry; replace this bean to register them elsewhere, or not at all.
 * @param registry the registry the meters are on
 */
public record RabbitListenerMetrics(MeterRegistry registry) {
}
