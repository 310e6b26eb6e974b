package dev.critter.rabbitmq;

import dev.critter.observability.CritterMetricNames;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Registers one listener's figures as meters, tagged with its queue; they read the figures, so they never miss a count. */
final class RabbitListenerMeters {

    private RabbitListenerMeters() {
    }

    static void register(RabbitQueueListener listener, MeterRegistry registry) {
        RabbitListenerFigures figures = listener.figures();
        String queue = listener.queue();
        FunctionCounter.builder(CritterMetricNames.RABBITMQ_LISTENER_RECEIVED, figures, RabbitListenerFigures::receivedCount)
                .tag(CritterMetricNames.QUEUE, queue).description("Deliveries received from RabbitMQ").register(registry);
        FunctionCounter.builder(CritterMetricNames.RABBITMQ_LISTENER_ACKED, figures, RabbitListenerFigures::ackedCount)
                .tag(CritterMetricNames.QUEUE, queue).description("Deliveries acknowledged to RabbitMQ").register(registry);
        FunctionCounter.builder(CritterMetricNames.RABBITMQ_LISTENER_DEAD_LETTERED, figures,
                        RabbitListenerFigures::deadLetteredCount)
                .tag(CritterMetricNames.QUEUE, queue).description("Deliveries dead-lettered").register(registry);
        FunctionCounter.builder(CritterMetricNames.RABBITMQ_LISTENER_RECOVERIES, figures, RabbitListenerFigures::recoveryCount)
                .tag(CritterMetricNames.QUEUE, queue).description("Times the listener consumed again after an outage")
                .register(registry);
        Gauge.builder(CritterMetricNames.RABBITMQ_LISTENER_CONSUMING, listener, l -> l.consuming() ? 1 : 0)
                .tag(CritterMetricNames.QUEUE, queue).description("1 while the broker confirmed the listener's consumer")
                .register(registry);
    }
}
