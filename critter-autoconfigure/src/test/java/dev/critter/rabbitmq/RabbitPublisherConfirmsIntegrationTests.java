package dev.critter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.critter.CritterOptions;
import dev.critter.IMessageBus;
import dev.critter.rabbitmq.app.RabbitTestApps;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipelined publisher counts a message only once the broker confirmed it: confirms that
 * cover many messages at once settle each of them, and messages the broker nacks are neither
 * counted nor confirmed to whoever waits, but published again until the broker takes them.
 */
class RabbitPublisherConfirmsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueuesAndExchanges() {
        rabbit.close();
    }

    private ApplicationContextRunner app(Consumer<CritterOptions> configuration, String... properties) {
        return RabbitTestApps.recording(rabbit, configuration, properties);
    }

    @Test
    void manyMessagesInFlightAreEachConfirmedOnceAndArriveOnce() {
        String queue = rabbit.queue("pipelined");
        int messages = 3_000;
        // Small confirm batches: many windows, confirms covering several messages (multiple=true).
        app(o -> o.publish(r -> r.message(Ping.class).toRabbitQueue(queue)), "critter.rabbitmq.confirm-batch=7")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    RabbitTransport transport = context.getBean(RabbitTransport.class);
                    for (int i = 0; i < messages; i++) {
                        bus.publish(new Ping("p-" + i));
                    }
                    await().atMost(WAIT).until(() -> transport.confirmedCount() == messages);
                    assertThat(transport.unconfirmedCount()).isZero();
                    assertThat(rabbit.ready(queue)).isEqualTo(messages);
                    Set<String> bodies = new HashSet<>();
                    try (Channel channel = rabbit.channel()) {
                        GetResponse response;
                        while ((response = channel.basicGet(queue, true)) != null) {
                            bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
                        }
                    }
                    assertThat(bodies).hasSize(messages);
                });
    }

    @Test
    void nackedMessagesAreNotConfirmedAndArePublishedAgainUntilTheBrokerTakesThem() throws Exception {
        String queue = rabbit.queue("refusing");
        // A queue that refuses publishes beyond 5 messages: the broker nacks the rest.
        try (Channel channel = rabbit.channel()) {
            channel.queueDeclare(queue, true, false, false, Map.of("x-max-length", 5, "x-overflow", "reject-publish"));
        }
        CachingConnectionFactory connections = new CachingConnectionFactory(
                System.getProperty("spring.rabbitmq.host", "127.0.0.1"), Integer.getInteger("spring.rabbitmq.port", 5672));
        connections.setUsername(System.getProperty("spring.rabbitmq.username", "guest"));
        connections.setPassword(System.getProperty("spring.rabbitmq.password", "guest"));
        RabbitPublisher publisher = new RabbitPublisher(connections, new RabbitSettings(false, 1, 10, 100, 4,
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(500), false));
        publisher.start();
        try {
            List<CompletableFuture<Void>> confirms = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                CompletableFuture<Void> confirmed = new CompletableFuture<>();
                publisher.publish(new RabbitPublisher.Pending("", queue, new RabbitWireFormat.Outgoing(
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        ("{\"id\":\"n-" + i + "\"}").getBytes(StandardCharsets.UTF_8)), confirmed));
                confirms.add(confirmed);
            }
            await().atMost(WAIT).until(() -> String.valueOf(publisher.lastFailure()).contains("nacked"));
            await().atMost(WAIT).until(() -> confirms.stream().filter(CompletableFuture::isDone).count() == 5);
            assertThat(publisher.confirmed()).isEqualTo(5);
            assertThat(publisher.pending()).isEqualTo(3);
            assertThat(confirms).noneMatch(CompletableFuture::isCompletedExceptionally);
            // Room again: the three refused ones are published again, confirmed, and only then complete.
            try (Channel channel = rabbit.channel()) {
                channel.queuePurge(queue);
            }
            await().atMost(WAIT).until(() -> confirms.stream().allMatch(CompletableFuture::isDone));
            assertThat(confirms).noneMatch(CompletableFuture::isCompletedExceptionally);
            assertThat(publisher.confirmed()).isEqualTo(8);
            assertThat(publisher.pending()).isZero();
            assertThat(rabbit.ready(queue)).isEqualTo(3);
        } finally {
            publisher.stop(Duration.ofSeconds(5));
            connections.destroy();
        }
    }
}
