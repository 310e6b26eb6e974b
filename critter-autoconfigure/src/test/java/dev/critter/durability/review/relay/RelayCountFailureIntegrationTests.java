package dev.critter.durability.review.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.rabbitmq.client.Channel;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitApps;
import dev.critter.durability.outbox.rabbit.app.OutboxRabbitMessages.Shipped;
import dev.critter.handler.MessageTypes;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.OUTGOING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One relay pass with rows for two destinations: a RabbitMQ row, sent and waiting for its
 * publisher confirm, and a row its destination refuses at once. Counting the refused row's send
 * attempt ({@code send_attempts + 1}) fails (a database blip, here a trigger). The confirmed row
 * must still leave the outbox: once the broker holds its message, a row that stays is sent again
 * by whichever node takes it over (a duplicate), and until then it counts as pending.
 */
class RelayCountFailureIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(RelayCountFailureIntegrationTests.class);
    private final TestRabbit rabbit = TestRabbit.inOwnVirtualHost();

    @AfterEach
    void deleteTheTestsVirtualHost() {
        rabbit.close();
    }

    @Test
    void aConfirmedRowLeavesTheOutboxThoughCountingAnotherRowsFailureFailed() throws Exception {
        String queue = rabbit.queue("confirmed");
        try (Channel channel = rabbit.channel()) {
            channel.queueDeclare(queue, true, false, false, null);
        }
        try (ConfigurableApplicationContext app = OutboxRabbitApps.start(database, rabbit, queue)) {
            DurableRows rows = new DurableRows(app.getBean(DataSource.class));
            JdbcClient jdbc = rows.jdbc();
            // The refused row: its type is unknown here, so it is dead-lettered as unreadable, and
            // the dead-letter store refuses it; counting its failed attempt fails too.
            jdbc.sql("""
                    CREATE FUNCTION critter.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'refused by the test'; END $$""").update();
            jdbc.sql("CREATE TRIGGER no_dead_letters BEFORE INSERT ON critter.critter_dead_letters "
                    + "FOR EACH ROW EXECUTE FUNCTION critter.refuse()").update();
            jdbc.sql("CREATE TRIGGER no_counting BEFORE UPDATE ON critter.critter_outgoing_envelopes FOR EACH ROW "
                    + "WHEN (NEW.send_attempts <> OLD.send_attempts) EXECUTE FUNCTION critter.refuse()").update();

            // Two rows nobody owns (a dead node's, released), claimed by the relay in one pass, oldest first.
            String insert = "INSERT INTO critter.critter_outgoing_envelopes (id, destination, message_type, body, sent_at) "
                    + "VALUES (?, ?, ?, convert_to(?, 'UTF8'), now())";
            jdbc.sql(insert).param(UUID.randomUUID()).param("rabbitmq://queue/" + queue)
                    .param(MessageTypes.nameOf(Shipped.class)).param("{\"id\":\"s-1\"}").update();
            jdbc.sql(insert).param(UUID.randomUUID()).param("local://noted")
                    .param("com.acme.RetiredType").param("{\"id\":\"r-1\"}").update();

            RabbitTransport transport = app.getBean(RabbitTransport.class);
            await().atMost(WAIT).until(() -> transport.confirmedCount() == 1 && rabbit.ready(queue) == 1);
            await().atMost(WAIT).until(() -> rows.count(OUTGOING, "destination", "rabbitmq://queue/" + queue) == 0);
        }
        try (Channel channel = rabbit.channel()) {
            assertThat(new String(channel.basicGet(queue, true).getBody(), StandardCharsets.UTF_8)).contains("s-1");
        }
    }
}
