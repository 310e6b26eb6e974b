package dev.critter.rabbitmq.durable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.CritterConfigurer;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages.Booking;
import dev.critter.rabbitmq.durable.app.DurableListenerMessages.Rejected;
import dev.critter.support.DurableApps;
import dev.critter.support.DatabaseGate;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable (inbox-backed) RabbitMQ listeners against real PostgreSQL and a real broker: deliveries
 * are stored in batches (one transaction per batch, not per message), acknowledged after that
 * commit, and handled from the inbox with its guarantees (a transactional handler's effect once,
 * a redelivered id dropped, failures into the durable dead-letter store).
 */
class RabbitDurableListenerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(RabbitDurableListenerIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    /** Held while the gate table says hold: handlers wait at it then (see DatabaseGate). */
    private DatabaseGate gate;
    private final TestRabbit rabbit = new TestRabbit();
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeEach
    void createTheHandlersTables() {
        jdbc.sql(DurableListenerMessages.TABLES).update();
        jdbc.sql("TRUNCATE listener_effects, listener_gate").update();
    }

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        apps.forEach(ConfigurableApplicationContext::close);
        rabbit.close();
    }

    @Test
    void deliveriesAreStoredInBatchedTransactionsAckedAfterTheCommitAndHandledOnceEach() throws Exception {
        String queue = rabbit.queue("durable-batches");
        gate = DatabaseGate.hold(database.dataSource(), DurableListenerMessages.GATE); // before the row: a handler that sees it finds the gate held
        jdbc.sql("INSERT INTO listener_gate (hold) VALUES (true)").update();
        ConfigurableApplicationContext app = start(queue, "critter.rabbitmq.listeners[0].prefetch=200");
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            for (int i = 0; i < 400; i++) {
                channel.basicPublish("", queue, properties(Booking.class, UUID.randomUUID()),
                        ("{\"entry\":\"b-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }

        // The handlers are held: what the listener took is stored, and acked (not in the queue's unacked).
        await().atMost(WAIT).until(() -> rows.count(INCOMING) >= 200);
        long stored = rows.count(INCOMING);
        long transactions = jdbc.sql("SELECT count(DISTINCT xmin::text) FROM critter.critter_incoming_envelopes")
                .query(Long.class).single();
        assertThat(transactions).as("%d rows were stored by %d transactions: batches, not one commit per message",
                stored, transactions).isLessThanOrEqualTo(stored / 4);

        jdbc.sql("DELETE FROM listener_gate").update();

        gate.close();
        await().atMost(WAIT).until(() -> effects() == 400 && rows.count(INCOMING) == 0);
        assertThat(jdbc.sql("SELECT count(DISTINCT entry) FROM listener_effects").query(Long.class).single()).isEqualTo(400);
        await().atMost(WAIT).until(() -> rabbit.ready(queue) == 0);
        assertThat(app.getBean(RabbitTransport.class).listenerStatuses().get(0).figures().ackedCount()).isEqualTo(400);
    }

    @Test
    void aRedeliveredIdIsDroppedAndAckedSoItsHandlerCommitsOnce() throws Exception {
        String queue = rabbit.queue("durable-duplicates");
        start(queue);
        UUID id = UUID.randomUUID();
        publish(queue, Booking.class, "{\"entry\":\"twice\"}", id);
        await().atMost(WAIT).until(() -> effects() == 1 && rows.count(INCOMING) == 0);
        publish(queue, Booking.class, "{\"entry\":\"twice\"}", id);
        publish(queue, Booking.class, "{\"entry\":\"after\"}", UUID.randomUUID());

        await().atMost(WAIT).until(() -> effects() == 2 && rows.count(INCOMING) == 0 && rabbit.ready(queue) == 0);
        assertThat(jdbc.sql("SELECT entry FROM listener_effects ORDER BY entry").query(String.class).list())
                .containsExactly("after", "twice");
    }

    @Test
    void aHandlerThatExhaustsItsPolicyAndBadInputGoToTheDurableDeadLettersAndTheListenerGoesOn() throws Exception {
        String queue = rabbit.queue("durable-failures");
        start(queue);
        UUID doomed = UUID.randomUUID();
        publish(queue, Rejected.class, "{\"entry\":\"r-1\"}", doomed);
        publish(queue, Booking.class, "not json", UUID.randomUUID());
        publish(queue, Booking.class, "{\"entry\":\"still-consuming\"}", UUID.randomUUID());

        await().atMost(WAIT).until(() -> effects() == 1 && rows.count(DEAD_LETTERS) == 2 && rows.count(INCOMING) == 0);
        assertThat(jdbc.sql("SELECT exception_type FROM critter.critter_dead_letters WHERE message_id = ?")
                .param(doomed).query(String.class).single()).isEqualTo(IllegalStateException.class.getName());
        assertThat(jdbc.sql("SELECT destination FROM critter.critter_dead_letters WHERE message_id = ?")
                .param(doomed).query(String.class).single()).isEqualTo("rabbitmq://queue/" + queue);
        assertThat(jdbc.sql("SELECT exception_type FROM critter.critter_dead_letters WHERE message_id <> ?")
                .param(doomed).query(String.class).single()).isEqualTo("unreadable-body");
        // Nothing went to the broker's dead-letter queue, and the queue is empty (all acked).
        await().atMost(WAIT).until(() -> rabbit.ready(queue) == 0);
        assertThat(rabbit.ready(queue + ".dlq")).isZero();
    }

    @Test
    void aDeliveryTheDatabaseRefusesGoesToTheDeadLetterQueueWhileTheRestOfItsBatchIsStored() throws Exception {
        String queue = rabbit.queue("durable-refused");
        gate = DatabaseGate.hold(database.dataSource(), DurableListenerMessages.GATE); // before the row: a handler that sees it finds the gate held
        jdbc.sql("INSERT INTO listener_gate (hold) VALUES (true)").update();
        start(queue);
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            for (int i = 0; i < 20; i++) {
                AMQP.BasicProperties properties = properties(Booking.class, UUID.randomUUID());
                if (i == 7) {
                    // PostgreSQL keeps no NUL character in text: this one row cannot be stored, ever.
                    properties = properties.builder().headers(java.util.Map.of("x-note", "a\u0000b")).build();
                }
                channel.basicPublish("", queue, properties, ("{\"entry\":\"n-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
        jdbc.sql("DELETE FROM listener_gate").update();
        gate.close();

        await().atMost(WAIT).until(() -> effects() == 19 && rows.count(INCOMING) == 0
                && rabbit.ready(queue + ".dlq") == 1);
        assertThat(jdbc.sql("SELECT entry FROM listener_effects WHERE entry = 'n-7'").query(String.class).list()).isEmpty();
        await().atMost(WAIT).until(() -> rabbit.ready(queue) == 0);
    }

    @Test
    void aDeliveryTheDatabaseRefusesThatArrivesAloneGoesToTheDeadLetterQueueAndTheListenerGoesOn() throws Exception {
        String queue = rabbit.queue("durable-refused-alone");
        start(queue);
        // An idle listener stores this one in a batch of its own: the database refuses every row of it,
        // which is the row's fault, not an unreachable database (the batch must not be tried for ever).
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = properties(Booking.class, UUID.randomUUID()).builder()
                    .headers(java.util.Map.of("x-note", "a\u0000b")).build();
            channel.basicPublish("", queue, properties, "{\"entry\":\"poison\"}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
        await().atMost(WAIT).until(() -> rabbit.ready(queue + ".dlq") == 1);

        publish(queue, Booking.class, "{\"entry\":\"after-the-poison\"}", UUID.randomUUID());
        await().atMost(WAIT).until(() -> effects() == 1 && rows.count(INCOMING) == 0 && rabbit.ready(queue) == 0);
        assertThat(jdbc.sql("SELECT entry FROM listener_effects").query(String.class).single()).isEqualTo("after-the-poison");
    }

    @Test
    void aDeliveryTheDatabaseFailsToStoreForAMomentWhileItsBatchIsSplitIsStoredLaterNotDeadLettered() throws Exception {
        String queue = rabbit.queue("durable-flaky");
        start(queue, "critter.rabbitmq.listeners[0].prefetch=50");
        // While the flag is on, the database fails the row of 'flaky' with a serialization failure:
        // the database's passing trouble (40001), not the row's fault.
        jdbc.sql("CREATE TABLE IF NOT EXISTS flaky_store (fail boolean NOT NULL)").update();
        jdbc.sql("TRUNCATE flaky_store").update();
        jdbc.sql("INSERT INTO flaky_store (fail) VALUES (true)").update();
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION fail_flaky_row() RETURNS trigger AS $$
                BEGIN
                  IF position('flaky' in encode(NEW.body, 'escape')) > 0 AND EXISTS (SELECT 1 FROM flaky_store WHERE fail) THEN
                    RAISE EXCEPTION 'flaky row' USING ERRCODE = '40001';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""").update();
        jdbc.sql("CREATE TRIGGER fail_flaky_row BEFORE INSERT ON critter.critter_incoming_envelopes "
                + "FOR EACH ROW EXECUTE FUNCTION fail_flaky_row()").update();
        try (java.sql.Connection lock = database.dataSource().getConnection()) {
            // Held inserts: the deliveries gather, and all but the first few are stored as one batch.
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE critter.critter_incoming_envelopes IN EXCLUSIVE MODE");
            // The first delivery's insert waits for the lock: every later one gathers for the next batch.
            publish(queue, Booking.class, "{\"entry\":\"n-0\"}", UUID.randomUUID());
            // Counted in this test's database only: the server may hold other tests' databases. Any
            // statement on the inbox counts: a queue's poller that ran into the lock first holds the
            // storer back as surely as its own insert would (the CI run of d9f9ebd saw no insert
            // waiting within a minute, and the cause was not recorded, hence the report).
            try {
                await().atMost(WAIT).until(() -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND datname = current_database() AND query LIKE '%critter_incoming_envelopes%'")
                        .query(Long.class).single() >= 1);
            } catch (org.awaitility.core.ConditionTimeoutException ex) {
                throw new AssertionError("No statement on the inbox waited for the table lock; this database's sessions: "
                        + jdbc.sql("SELECT state || ' / ' || coalesce(wait_event_type, '-') || ' / ' || left(query, 120) "
                        + "FROM pg_stat_activity WHERE datname = current_database()").query(String.class).list(), ex);
            }
            try (Channel channel = rabbit.channel()) {
                channel.confirmSelect();
                for (int i = 1; i < 20; i++) {
                    AMQP.BasicProperties properties = properties(Booking.class, UUID.randomUUID());
                    String entry = i == 11 ? "flaky" : "n-" + i;
                    if (i == 10) {
                        // Refused for ever (NUL in text): its batch's insert fails, and each row is stored on its own.
                        properties = properties.builder().headers(java.util.Map.of("x-note", "a\u0000b")).build();
                    }
                    channel.basicPublish("", queue, properties, ("{\"entry\":\"" + entry + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(WAIT.toMillis());
            }
            await().atMost(WAIT).until(() -> rabbit.ready(queue) == 0);
            lock.rollback();
        }
        await().atMost(WAIT).until(() -> effects() == 18 && rabbit.ready(queue + ".dlq") >= 1);

        // The database is fine again: the delivery it failed for a moment is stored and handled.
        jdbc.sql("DELETE FROM flaky_store").update();
        await().atMost(WAIT).until(() -> effects() == 19 && rows.count(INCOMING) == 0);
        assertThat(rabbit.ready(queue + ".dlq")).as("only the delivery refused for its own fault is dead-lettered").isEqualTo(1);
    }

    private ConfigurableApplicationContext start(String queue, String... more) {
        List<String> properties = new ArrayList<>(List.of(rabbit.properties()));
        properties.addAll(List.of("critter.rabbitmq.enabled=true", "critter.durability.poll-interval=200ms",
                "critter.handlers.base-packages=" + Booking.class.getPackageName(),
                "critter.rabbitmq.listeners[0].queue=" + queue, "critter.rabbitmq.listeners[0].durable=true",
                "critter.rabbitmq.listeners[0].parallelism=2", "spring.datasource.hikari.maximum-pool-size=6"));
        properties.addAll(List.of(more));
        ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {Rabbit.class},
                properties.toArray(String[]::new));
        apps.add(app);
        return app;
    }

    /** Publishes as a non-Critter publisher would, with a type header and a message id. */
    private void publish(String queue, Class<?> type, String body, UUID id) throws Exception {
        try (Channel channel = rabbit.channel()) {
            channel.confirmSelect();
            channel.basicPublish("", queue, properties(type, id), body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
    }

    private static AMQP.BasicProperties properties(Class<?> type, UUID id) {
        return new AMQP.BasicProperties.Builder().type(type.getName()).messageId(id.toString()).deliveryMode(2).build();
    }

    private long effects() {
        return jdbc.sql("SELECT count(*) FROM listener_effects").query(Long.class).single();
    }

    /** The RabbitMQ auto-configurations, and the transaction manager of the handlers, beside the durable application's. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, CritterRabbitAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class})
    static class Rabbit {

        @Bean
        CritterConfigurer noRules() {
            return o -> { };
        }
    }
}
