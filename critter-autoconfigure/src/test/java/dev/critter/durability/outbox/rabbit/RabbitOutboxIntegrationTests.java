package dev.critter.durability.outbox.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.critter.IMessageBus;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitApps;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages.Noted;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages.Shipped;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox and RabbitMQ publisher confirms, against real PostgreSQL and a real broker: a row
 * for a Rabbit destination leaves {@code critter_outgoing_envelopes} only once the broker
 * confirmed its message, not when the publisher buffered it. The broker is made to refuse
 * honestly: the test's queue holds at most one message and rejects publishes beyond
 * ({@code x-overflow=reject-publish}), so while the test's own message occupies it the broker
 * nacks every publish to it; taking that message off lets the next attempt in. Both tests failed
 * before the confirm path: the row was gone while the broker nacked, and the message whose
 * publisher stopped unconfirmed was never received.
 */
class RabbitOutboxIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(RabbitOutboxIntegrationTests.class);
    private final TestRabbit rabbit = TestRabbit.inOwnVirtualHost();

    @AfterEach
    void deleteTheTestsVirtualHost() {
        rabbit.close();
    }

    @Test
    void aRowStaysInTheOutboxWhileTheBrokerHasNotConfirmedItsMessageAndGoesOnceItDid() throws Exception {
        String queue = fullQueue("unconfirmed");
        try (ConfigurableApplicationContext app = OutboxRabbitApps.start(database, rabbit, queue)) {
            JdbcClient jdbc = JdbcClient.create(app.getBean(DataSource.class));
            RabbitTransport transport = app.getBean(RabbitTransport.class);
            // One transaction: a message for the full Rabbit queue, and one for a local queue, which
            // holds it safely once accepted. Before the confirm path both rows went in one delete.
            transaction(app).executeWithoutResult(status -> {
                app.getBean(IMessageBus.class).publish(new Shipped("s-1"));
                app.getBean(IMessageBus.class).publish(new Noted("n-1"));
            });

            await().atMost(WAIT).until(() -> OutboxRabbitMessages.NOTED.contains("n-1") && rows(jdbc, Noted.class) == 0);
            // The broker refuses the Rabbit copy (nacks: the queue is full), so it is not confirmed...
            // (the failure stays reported until a batch is confirmed: a stable condition to wait on)
            await().atMost(WAIT).until(() -> transport.connectionStatus().publishFailure() != null);
            assertThat(transport.confirmedCount()).isZero();
            assertThat(transport.unconfirmedCount()).isEqualTo(1);
            // ...and its row is still there, though the local copy's row, handed to the deletes with it, is gone.
            assertThat(rows(jdbc, Shipped.class)).isEqualTo(1);

            takeOffTheOccupant(queue);
            await().atMost(WAIT).until(() -> rows(jdbc, Shipped.class) == 0);
            assertThat(transport.confirmedCount()).isEqualTo(1);
            assertThat(bodies(queue)).containsExactly("s-1");
        }
    }

    @Test
    void aCommittedMessageWhosePublisherStoppedBeforeTheConfirmIsReceivedExactlyOnce() throws Exception {
        String queue = fullQueue("stopped");
        try (ConfigurableApplicationContext first = OutboxRabbitApps.start(database, rabbit, queue)) {
            RabbitTransport transport = first.getBean(RabbitTransport.class);
            transaction(first).executeWithoutResult(status -> first.getBean(IMessageBus.class).publish(new Shipped("s-2")));
            // The commit's send buffered it; the full queue makes its confirm impossible.
            assertThat(transport.unconfirmedCount()).isEqualTo(1);
            await().atMost(WAIT).until(() -> transport.connectionStatus().publishFailure() != null);
            assertThat(transport.confirmedCount()).isZero();
            // Closed here, with the message unconfirmed: the publisher gives it up.
        }
        takeOffTheOccupant(queue);

        try (ConfigurableApplicationContext second = OutboxRabbitApps.start(database, rabbit, queue)) {
            JdbcClient jdbc = JdbcClient.create(second.getBean(DataSource.class));
            // The relay of a fresh node sends the row the first one left, and deletes it once confirmed.
            await().atMost(WAIT).until(() -> rows(jdbc, Shipped.class) == 0 && rabbit.ready(queue) == 1);
            assertThat(second.getBean(RabbitTransport.class).unconfirmedCount()).isZero();
        }
        // Both applications are closed: nothing can publish it again. Received once, not twice, not never.
        assertThat(bodies(queue)).containsExactly("s-2");
    }

    /** A queue of the test's that holds one message, the occupant, and nacks every publish beyond it. */
    private String fullQueue(String base) throws Exception {
        String queue = rabbit.queue(base);
        try (Channel channel = rabbit.channel()) {
            channel.queueDeclare(queue, true, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
            channel.confirmSelect();
            // Persistent, as Critter's messages are: a broker restart by a concurrent test keeps the queue full.
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, "occupant".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
        assertThat(rabbit.ready(queue)).isEqualTo(1);
        return queue;
    }

    private void takeOffTheOccupant(String queue) throws Exception {
        try (Channel channel = rabbit.channel()) {
            GetResponse occupant = channel.basicGet(queue, true);
            assertThat(occupant).isNotNull();
            assertThat(new String(occupant.getBody(), StandardCharsets.UTF_8)).isEqualTo("occupant");
        }
    }

    /** Takes every message off the queue; returns the ids of the Shipped ones. */
    private java.util.List<String> bodies(String queue) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Channel channel = rabbit.channel()) {
            GetResponse response;
            while ((response = channel.basicGet(queue, true)) != null) {
                String body = new String(response.getBody(), StandardCharsets.UTF_8);
                ids.add(body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]*)\".*", "$1"));
            }
        }
        return ids;
    }

    private static long rows(JdbcClient jdbc, Class<?> type) {
        return jdbc.sql("SELECT count(*) FROM critter.critter_outgoing_envelopes WHERE message_type LIKE ?")
                .param("%" + type.getSimpleName()).query(Long.class).single();
    }

    private static TransactionTemplate transaction(ConfigurableApplicationContext app) {
        return new TransactionTemplate(new JdbcTransactionManager(app.getBean(DataSource.class)));
    }
}
