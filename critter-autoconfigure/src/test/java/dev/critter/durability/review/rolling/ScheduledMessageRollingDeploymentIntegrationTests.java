package dev.critter.durability.review.rolling;

import java.time.Duration;
import java.time.Instant;

import dev.critter.IMessageBus;
import dev.critter.durability.review.rolling.v2.Reminders;
import dev.critter.durability.review.rolling.v2.Reminders.Reminder;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes of one service on one database during a rolling deployment: the new release has a queue
 * the old one does not. A message the new release scheduled for its queue must wait for a node
 * that has that queue, as outbox and inbox rows do, not be claimed by an old node, which has no
 * endpoint for it and dead-letters it.
 */
class ScheduledMessageRollingDeploymentIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledMessageRollingDeploymentIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    @Test
    void aScheduledMessageIsDeliveredByANodeThatHasItsDestinationNotDeadLetteredByOneThatHasNot() {
        String[] fast = {"critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=2s"};
        try (ConfigurableApplicationContext oldRelease = DurableApps.start(database, fast)) {
            ConfigurableApplicationContext newRelease = newRelease(fast);
            newRelease.getBean(IMessageBus.class).schedule(new Reminder("r-1"), Duration.ofSeconds(1));
            newRelease.close(); // its turn in the rolling deployment: restarted shortly
            Instant due = rows.jdbc().sql("SELECT max(due_at) FROM critter.critter_scheduled_envelopes")
                    .query(java.sql.Timestamp.class).single().toInstant();
            // Due, and the old node has polled several times since (database clock).
            await().atMost(WAIT).until(() -> rows.jdbc().sql("SELECT now() > ?::timestamptz + interval '1 second'")
                    .param(java.sql.Timestamp.from(due)).query(Boolean.class).single());

            try (ConfigurableApplicationContext restarted = newRelease(fast)) {
                await().atMost(WAIT).until(() -> Reminders.HANDLED.containsKey("r-1") || rows.count(DEAD_LETTERS) > 0);
                assertThat(rows.count(DEAD_LETTERS)).as("dead letters (the old release's node had no endpoint for it)")
                        .isZero();
                assertThat(Reminders.HANDLED.get("r-1").get()).isEqualTo(1);
            }
        }
    }

    private ConfigurableApplicationContext newRelease(String[] properties) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of(properties),
                java.util.stream.Stream.of("critter.handlers.base-packages=" + Reminders.class.getPackageName()))
                .toArray(String[]::new);
        return DurableApps.start(database, all);
    }
}
