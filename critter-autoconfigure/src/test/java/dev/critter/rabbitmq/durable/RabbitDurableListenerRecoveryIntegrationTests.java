package dev.critter.rabbitmq.durable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages.Booking;
import dev.critter.support.DurableApps;
import dev.critter.support.DatabaseGate;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable listener whose connection the broker closes while deliveries are stored but not yet
 * acknowledged, and others wait in the prefetch: it consumes again, the broker redelivers what was
 * not acknowledged, the inbox drops those already stored, and every message's transactional side
 * effect is committed exactly once.
 */
class RabbitDurableListenerRecoveryIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final int MESSAGES = 300;

    private final TestDatabase database = TestPostgres.newDatabase(RabbitDurableListenerRecoveryIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    /** Held while the gate table says hold: handlers wait at it then (see DatabaseGate). */
    private DatabaseGate gate;
    private final TestRabbit rabbit = TestRabbit.inOwnVirtualHost();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        if (app != null) {
            app.close();
        }
        rabbit.close();
    }

    @Test
    void closedConnectionsMidStreamLoseNothingAndHandleNothingTwice() throws Exception {
        jdbc.sql(DurableListenerMessages.TABLES).update();
        gate = DatabaseGate.hold(database.dataSource(), DurableListenerMessages.GATE); // before the row: a handler that sees it finds the gate held
        jdbc.sql("INSERT INTO listener_gate (hold) VALUES (true)").update();
        String queue = rabbit.queue("durable-recovery");
        List<String> properties = new ArrayList<>(List.of(rabbit.properties()));
        properties.addAll(List.of("critter.rabbitmq.enabled=true", "critter.rabbitmq.recovery-interval=1s",
                "critter.durability.poll-interval=200ms", "critter.handlers.base-packages=" + Booking.class.getPackageName(),
                "critter.rabbitmq.listeners[0].queue=" + queue, "critter.rabbitmq.listeners[0].durable=true",
                "critter.rabbitmq.listeners[0].parallelism=2", "critter.rabbitmq.listeners[0].prefetch=50",
                "spring.datasource.hikari.maximum-pool-size=6"));
        app = DurableApps.start(database, new Class<?>[] {Rabbit.class}, properties.toArray(String[]::new));
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().type(Booking.class.getName())
                                .messageId(UUID.randomUUID().toString()).deliveryMode(2).build(),
                        ("{\"entry\":\"r-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
        // Handlers held: a prefetch is stored (acked), another waits unacknowledged.
        await().atMost(WAIT).until(() -> rows.count(INCOMING) >= 50);

        rabbit.closeAllConnections();
        RabbitTransport transport = app.getBean(RabbitTransport.class);
        await().atMost(WAIT).until(() -> transport.listenerStatuses().get(0).figures().recoveryCount() >= 1
                && transport.listenerStatuses().get(0).consuming());
        jdbc.sql("DELETE FROM listener_gate").update();
        gate.close();

        await().atMost(WAIT).until(() -> distinctEffects() == MESSAGES && rows.count(INCOMING) == 0
                && rabbit.ready(queue) == 0);
        assertThat(jdbc.sql("SELECT entry FROM listener_effects GROUP BY entry HAVING count(*) > 1")
                .query(String.class).list()).as("no handler effect committed twice").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM listener_effects").query(Long.class).single()).isEqualTo(MESSAGES);
    }

    private long distinctEffects() {
        return jdbc.sql("SELECT count(DISTINCT entry) FROM listener_effects").query(Long.class).single();
    }

    /** The RabbitMQ auto-configurations, and the transaction manager of the handlers. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, CritterRabbitAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class})
    static class Rabbit {
    }
}
