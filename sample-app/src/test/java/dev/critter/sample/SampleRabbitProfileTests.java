package dev.critter.sample;

import java.time.Duration;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.sample.orders.OrderPlaced;
import dev.critter.sample.orders.PaymentCaptured;
import dev.critter.sample.orders.PlaceOrder;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rabbitmq profile against the project's broker (127.0.0.1:5672): an order's OrderPlaced goes
 * through a RabbitMQ queue (named for this run, deleted afterwards) to its three consumers.
 */
@SpringBootTest(properties = {"sample.walkthrough.enabled=false", "sample.reminder-delay=200ms"})
@ActiveProfiles("rabbitmq")
@DirtiesContext
class SampleRabbitProfileTests {

    // One name per run, so reruns and parallel builds never share the queue (${random.uuid} would
    // give the listener and the rule two different names: it resolves anew each time).
    private static final String QUEUE = "critter-test-sample-order-placed-" + UUID.randomUUID();
    private static RabbitTransport transport;

    @Autowired MessageTracking tracking;
    @Autowired RabbitTransport rabbit;

    @DynamicPropertySource
    static void orderQueue(DynamicPropertyRegistry registry) {
        registry.add("sample.rabbitmq.order-queue", () -> QUEUE);
    }

    @Autowired
    void remember(RabbitTransport running) {
        transport = running;
    }

    @Test
    void anOrderPlacedTravelsThroughRabbitMqToItsConsumers() {
        String orderId = "rabbit-" + UUID.randomUUID();
        TrackedSession session = tracking.publishAndWait(new PlaceOrder(orderId, "kettle", 1, "4242"));

        assertThat(session.sent().envelopes()).anySatisfy(envelope -> assertThat(envelope.message())
                .isInstanceOf(OrderPlaced.class));
        assertThat(session.executed().singleMessage(PaymentCaptured.class).orderId()).isEqualTo(orderId);
        // Handled means sent, but the publisher may count the broker's confirm a moment later.
        await().atMost(Duration.ofSeconds(60)).until(() -> rabbit.confirmedCount() >= 1);
        assertThat(rabbit.listenerStatuses()).filteredOn(l -> l.queue().equals(QUEUE)).singleElement()
                .satisfies(l -> {
                    assertThat(l.consuming()).isTrue();
                    assertThat(l.figures().receivedCount()).isGreaterThanOrEqualTo(1);
                });
    }

    /** The transport stops first, so its listener does not declare the queue again once it is deleted. */
    @AfterAll
    static void deleteTheQueue() throws Exception {
        transport.stop(Duration.ofSeconds(5), envelope -> "");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(QUEUE);
            channel.queueDelete(QUEUE + ".dlq");
        }
    }
}
