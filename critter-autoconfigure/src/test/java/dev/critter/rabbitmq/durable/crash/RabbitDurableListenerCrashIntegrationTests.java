package dev.critter.rabbitmq.durable.crash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.durability.jdbc.JdbcSchemaMigrations;
import dev.critter.durability.jdbc.MigrationScripts;
import dev.critter.durability.jdbc.SchemaName;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages.Booking;
import dev.critter.support.ChildJvms;
import dev.critter.support.DatabaseGate;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM consumes thousands of messages from a RabbitMQ queue through a durable listener,
 * whose transactional handler writes a side-effect row in its transaction, and is killed with
 * SIGKILL mid-stream, while deliveries are stored, acked and unacked, and handlers run. A fresh
 * process on the same database and queue finishes: every message's side effect is committed
 * exactly once, none is lost.
 */
class RabbitDurableListenerCrashIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final int MESSAGES = 3000;

    private final TestDatabase database = TestPostgres.newDatabase(RabbitDurableListenerCrashIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    /** Held while the gate table says hold: handlers wait at it then (see DatabaseGate). */
    private DatabaseGate gate;
    private final TestRabbit rabbit = new TestRabbit();
    private final ChildJvms children = new ChildJvms();
    private ConfigurableApplicationContext survivor;

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        children.close();
        if (survivor != null) {
            survivor.close();
        }
        rabbit.close();
    }

    @Test
    void everyMessageOfAListenerKilledMidStreamHasItsSideEffectCommittedExactlyOnce() throws Exception {
        new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"), MigrationScripts.critter()).migrate();
        jdbc.sql(DurableListenerMessages.TABLES).update();
        String queue = rabbit.queue("crash");
        List<String> arguments = new ArrayList<>(List.of(database.url(), database.username(), database.password(), queue));
        arguments.addAll(List.of(rabbit.properties()));
        Process child = children.start(Path.of("target/rabbit-crash-child-" + System.nanoTime() + ".log"),
                RabbitCrashApp.class, arguments);
        await().atMost(WAIT).until(() -> !child.isAlive() || consumers(queue) == 1);
        assertThat(child.isAlive()).as("the child runs until it is killed (see its log under target/)").isTrue();
        publish(queue);

        await().atMost(WAIT).until(() -> !child.isAlive() || effects() >= 300);
        // Hold the handlers so that, at the kill, deliveries are stored but not handled and handlers are mid-transaction.
        gate = DatabaseGate.hold(database.dataSource(), DurableListenerMessages.GATE); // before the row: a handler that sees it finds the gate held
        jdbc.sql("INSERT INTO listener_gate (hold) VALUES (true)").update();
        await().atMost(WAIT).until(() -> !child.isAlive() || rows.count(INCOMING) >= 100);
        assertThat(child.isAlive()).isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no ack, no release of its rows
        child.waitFor();
        long handledBeforeTheKill = distinctEffects();
        assertThat(rows.count(INCOMING)).as("killed mid-stream: stored deliveries were waiting").isPositive();
        assertThat(handledBeforeTheKill).isLessThan(MESSAGES);
        jdbc.sql("DELETE FROM listener_gate").update();
        gate.close();

        survivor = RabbitCrashApp.start(database.url(), database.username(), database.password(), queue, rabbit.properties());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                distinctEffects() == MESSAGES && rows.count(INCOMING) == 0 && rabbit.ready(queue) == 0);
        assertThat(jdbc.sql("SELECT entry FROM listener_effects GROUP BY entry HAVING count(*) > 1")
                .query(String.class).list()).as("no handler effect committed twice").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM listener_effects").query(Long.class).single()).isEqualTo(MESSAGES);
    }

    /** Publishes the messages as a non-Critter publisher would, with confirms: each has a type and a stable id. */
    private void publish(String queue) throws Exception {
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().type(Booking.class.getName())
                                .messageId(UUID.randomUUID().toString()).deliveryMode(2).build(),
                        ("{\"entry\":\"entry-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
    }

    private long consumers(String queue) {
        try {
            return rabbit.consumers(queue);
        } catch (RuntimeException notDeclaredYet) {
            return 0;
        }
    }

    private long effects() {
        return jdbc.sql("SELECT count(*) FROM listener_effects").query(Long.class).single();
    }

    private long distinctEffects() {
        return jdbc.sql("SELECT count(DISTINCT entry) FROM listener_effects").query(Long.class).single();
    }
}
