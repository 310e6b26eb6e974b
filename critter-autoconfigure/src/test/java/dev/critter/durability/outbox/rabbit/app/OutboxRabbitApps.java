package dev.critter.durability.outbox.rabbit.app;

import dev.critter.CritterConfigurer;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages.Noted;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages.Shipped;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applications of the outbox-to-RabbitMQ tests: durability on a test database, RabbitMQ on the
 * test's broker (queues not provisioned: the test declares its own), {@link Shipped} published to
 * one RabbitMQ queue and {@link Noted} handled locally.
 */
public final class OutboxRabbitApps {

    private OutboxRabbitApps() {
    }

    /**
     * Starts an application that publishes {@link Shipped} to a queue.
     * @param database the database it uses
     * @param rabbit the broker it connects to
     * @param queue the queue {@link Shipped} goes to; the test declares it
     * @return the running application; close it for a clean shutdown
     */
    public static ConfigurableApplicationContext start(TestDatabase database, TestRabbit rabbit, String queue) {
        QueueRule.queue = queue;
        String[] broker = rabbit.properties();
        String[] properties = new String[broker.length + 5];
        System.arraycopy(broker, 0, properties, 0, broker.length);
        properties[broker.length] = "critter.rabbitmq.enabled=true";
        properties[broker.length + 1] = "critter.rabbitmq.auto-provision=false";
        properties[broker.length + 2] = "critter.rabbitmq.recovery-interval=1s";
        properties[broker.length + 3] = "critter.durability.poll-interval=200ms";
        properties[broker.length + 4] = "critter.handlers.base-packages=" + Noted.class.getPackageName();
        return DurableApps.start(database, new Class<?>[] {QueueRule.class}, properties);
    }

    /** Sends {@link Shipped} to the test's queue. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, CritterRabbitAutoConfiguration.class})
    static class QueueRule {

        /** The queue of the application being started (read when its configurer is created). */
        static volatile String queue;

        @Bean
        CritterConfigurer shippedToRabbit() {
            String to = queue;
            return o -> o.publish(r -> r.message(Shipped.class).toRabbitQueue(to));
        }
    }
}
