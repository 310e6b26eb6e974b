package dev.critter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.actuate.CritterRabbitHealthIndicator;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.observability.CritterMetricNames;
import dev.critter.rabbitmq.app.RabbitTestMessages.Doomed;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The health contributor and the per-listener meters, against a real broker. */
class RabbitHealthAndMetricsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueuesAndExchanges() {
        rabbit.close();
    }

    private ApplicationContextRunner app(CritterConfigurer configurer, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.rabbitmq.recovery-interval=500ms",
                        "critter.handlers.base-packages=" + Ping.class.getPackageName())
                .withPropertyValues(properties)
                .withBean(Recorder.class, Recorder::new)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(CritterConfigurer.class, () -> configurer);
    }

    @Test
    void healthReportsTheConnectionAndEachListenerAndIsDownWhileAListenerCannotConsume() throws Exception {
        String queue = rabbit.queue("health");
        try (Channel channel = rabbit.channel()) {
            channel.queueDeclare(queue, true, false, false, null);
        }
        // Without auto-provisioning the listener cannot declare its queue again: it waits for the operator.
        app(o -> o.listenToRabbitQueue(queue).parallelism(2).prefetch(4), "critter.rabbitmq.auto-provision=false")
                .run(context -> {
                    CritterRabbitHealthIndicator indicator = context.getBean(CritterRabbitHealthIndicator.class);
                    Health up = indicator.health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(detail(up, "connection")).containsEntry("open", true);
                    assertThat(listener(up, queue)).containsEntry("consuming", true).containsEntry("parallelism", 2)
                            .containsEntry("prefetch", 4);

                    try (Channel channel = rabbit.channel()) {
                        channel.queueDelete(queue);
                    }
                    // The broker cancels the consumer; consuming again fails while the queue is missing.
                    await().atMost(WAIT).until(() -> indicator.health().getStatus().equals(Status.DOWN));
                    Health down = indicator.health();
                    assertThat(listener(down, queue)).containsEntry("consuming", false).containsKey("lastFailure");
                    assertThat(detail(down, "connection")).containsEntry("open", true);

                    try (Channel channel = rabbit.channel()) {
                        channel.queueDeclare(queue, true, false, false, null);
                    }
                    await().atMost(WAIT).until(() -> indicator.health().getStatus().equals(Status.UP));
                    assertThat(listener(indicator.health(), queue)).containsEntry("consuming", true)
                            .containsEntry("recoveries", 1L);
                    await().atMost(WAIT).until(() -> rabbit.consumers(queue) == 1);
                });
    }

    @Test
    void eachListenerCountsWhatItReceivedAckedAndDeadLettered() throws Exception {
        String queue = rabbit.queue("metrics");
        String other = rabbit.queue("metrics-other");
        app(o -> {
            o.publish(r -> r.message(Ping.class).toRabbitQueue(queue));
            o.publish(r -> r.message(Doomed.class).toRabbitQueue(queue));
            o.listenToRabbitQueue(queue);
            o.listenToRabbitQueue(other);
        }).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            for (int i = 0; i < 3; i++) {
                bus.publish(new Ping("m-" + i));
            }
            bus.publish(new Doomed("d-1"));
            try (Channel channel = rabbit.channel()) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().type(Ping.class.getName()).build(),
                        "not json".getBytes(StandardCharsets.UTF_8));
            }
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(WAIT).until(() -> count(registry, CritterMetricNames.RABBITMQ_LISTENER_ACKED, queue) == 5);
            assertThat(count(registry, CritterMetricNames.RABBITMQ_LISTENER_RECEIVED, queue)).isEqualTo(5);
            // The unreadable body and Doomed (its handler exhausted its policy) went to the queue's dead-letter queue.
            assertThat(count(registry, CritterMetricNames.RABBITMQ_LISTENER_DEAD_LETTERED, queue)).isEqualTo(2);
            assertThat(rabbit.ready(queue + ".dlq")).isEqualTo(2);
            assertThat(registry.get(CritterMetricNames.RABBITMQ_LISTENER_CONSUMING).tag(CritterMetricNames.QUEUE, queue)
                    .gauge().value()).isEqualTo(1.0);
            assertThat(count(registry, CritterMetricNames.RABBITMQ_LISTENER_RECEIVED, other)).isZero();
            assertThat(count(registry, CritterMetricNames.RABBITMQ_LISTENER_DEAD_LETTERED, other)).isZero();
            // A consumer may see a message before its publisher counted the broker's confirm.
            RabbitTransport transport = context.getBean(RabbitTransport.class);
            await().atMost(WAIT).until(() -> transport.confirmedCount() == 4);
            Health health = context.getBean(CritterRabbitHealthIndicator.class).health();
            assertThat(listener(health, queue)).containsEntry("received", 5L).containsEntry("acked", 5L)
                    .containsEntry("deadLettered", 2L);
            assertThat(detail(health, "publisher")).containsEntry("confirmed", 4L);
        });
    }

    private static double count(MeterRegistry registry, String name, String queue) {
        return registry.get(name).tag(CritterMetricNames.QUEUE, queue).functionCounter().count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String key) {
        return (Map<String, Object>) health.getDetails().get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> listener(Health health, String queue) {
        return (Map<String, Object>) detail(health, "listeners").get(queue);
    }
}
