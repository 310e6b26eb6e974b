package dev.critter.sample;

import dev.critter.CritterConfigurer;
import dev.critter.sample.orders.OrderPlaced;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The rabbitmq profile: {@link OrderPlaced} leaves the process through RabbitMQ (publisher confirms)
 * and comes back through the listener of {@code sample.rabbitmq.order-queue}
 * (application-rabbitmq.yml), where its three consumers run. Nothing else changes: the handlers do
 * not know which transport delivered the message.
 */
@Configuration(proxyBeanMethods = false)
@Profile("rabbitmq")
public class SampleRabbitMessaging {

    @Bean
    CritterConfigurer sampleOrderPlacedOverRabbitMq(@Value("${sample.rabbitmq.order-queue}") String queue) {
        return o -> o.publish(r -> r.message(OrderPlaced.class).toRabbitQueue(queue));
    }
}
