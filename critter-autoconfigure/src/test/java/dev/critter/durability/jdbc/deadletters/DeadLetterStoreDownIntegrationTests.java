package dev.critter.durability.jdbc.deadletters;

import java.time.Duration;
import java.util.UUID;

import dev.critter.IMessageBus;
import dev.critter.durability.jdbc.deadletters.storedown.StoreDownMessages;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dead-letter table cannot be written (a real PostgreSQL refusing the insert): the message's
 * other handlers still run, and the failure is logged with what was not kept, never swallowed.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterStoreDownIntegrationTests {

    private final TestDatabase database = TestPostgres.newDatabase(DeadLetterStoreDownIntegrationTests.class);

    private ConfigurableApplicationContext app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aDeadLetterThatCannotBeStoredDoesNotStopTheMessagesOtherHandlers(CapturedOutput output) {
        app = DurableApps.start(database,
                "critter.handlers.base-packages=" + StoreDownMessages.class.getPackageName(),
                "critter.errors.retry-cooldowns=");
        JdbcClient.create(database.dataSource()).sql("ALTER TABLE critter.critter_dead_letters RENAME TO critter_dead_letters_away")
                .update();
        UUID id = UUID.randomUUID();

        app.getBean(IMessageBus.class).publish(new StoreDownMessages.Shipped(id));

        await().atMost(Duration.ofSeconds(60)).until(() -> StoreDownMessages.HANDLED.contains(id));
        await().atMost(Duration.ofSeconds(60)).until(() -> output.getAll().contains("could not store the dead letter"));
        assertThat(output.getAll()).contains(id.toString()).contains("ShippedAuditHandler");
    }
}
