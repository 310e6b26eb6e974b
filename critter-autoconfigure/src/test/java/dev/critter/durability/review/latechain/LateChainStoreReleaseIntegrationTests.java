package dev.critter.durability.review.latechain;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A late-committing store's row is given back by (id, destination) alone (JdbcInbox.releaseOne):
 * with schema V2 the same message can have several rows in one destination (one per chain), so
 * giving back a replayed chain row also gives back this node's row of the same message that a
 * handler is still running: the queue's poller claims it again and the message is handled twice
 * at once (a duplicate), while the first handler still runs.
 */
class LateChainStoreReleaseIntegrationTests {

    static final AtomicInteger STARTED = new AtomicInteger();
    static final CountDownLatch FINISH = new CountDownLatch(1);

    private final TestDatabase database = TestPostgres.newDatabase(LateChainStoreReleaseIntegrationTests.class);

    public record Work(int n) { }

    public static class WorkHandler {
        public void handle(Work work) throws InterruptedException {
            STARTED.incrementAndGet();
            FINISH.await(120, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Durable {
        @Bean
        CritterConfigurer durableQueues() {
            return o -> o.policies().useDurableLocalQueues();
        }
    }

    @Test
    void givingBackALateChainRowLeavesTheRowOfTheSameMessageStillBeingHandledOwned() throws Exception {
        STARTED.set(0);
        try (ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {Durable.class},
                "critter.handlers.base-packages=" + getClass().getPackageName(),
                "critter.local.default-parallelism=4",
                "critter.durability.poll-interval=200ms")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            DurableRows rows = new DurableRows(database.dataSource());
            JdbcClient jdbc = rows.jdbc();
            bus.publish(new Work(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.get() == 1);
            // The row of the message being handled: every chain (chain_key ''), owned by this node.
            UUID id = jdbc.sql("SELECT id FROM critter.critter_incoming_envelopes").query(UUID.class).single();
            String destination = jdbc.sql("SELECT destination FROM critter.critter_incoming_envelopes")
                    .query(String.class).single();
            // A dead letter of the same message for one chain, replayed while its first delivery still runs.
            UUID letter = UUID.randomUUID();
            jdbc.sql("INSERT INTO critter.critter_dead_letters (id, message_id, destination, chain_id, message_type, body, "
                            + "sent_at, exception_type, exception_message, stack_trace, failed_at) "
                            + "SELECT ?, id, destination, 'some-other-chain', message_type, body, sent_at, "
                            + "'java.lang.IllegalStateException', 'x', 'x', now() FROM critter.critter_incoming_envelopes")
                    .param(letter).update();
            DeadLetters deadLetters = app.getBean(DeadLetters.class);
            try (Connection lock = database.dataSource().getConnection()) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    // The replay's insert waits for this lock: its publisher's wait (30 s) runs out.
                    statement.execute("LOCK TABLE critter.critter_incoming_envelopes IN SHARE MODE");
                }
                assertThatThrownBy(() -> deadLetters.replay(letter)).hasStackTraceContaining("did not commit within");
                lock.commit(); // the replayed row commits now, and is given back
            }
            // The replayed chain row is given back, claimed and, its chain unknown, dead-lettered:
            // a second dead letter beside the one whose replay failed.
            await().atMost(Duration.ofSeconds(60)).until(() -> STARTED.get() > 1 || rows.count(DEAD_LETTERS) >= 2);
            // The first delivery's row stays this node's while its handler runs: no second run of it.
            assertThat(STARTED.get()).as("handler runs of message " + id + " in " + destination).isEqualTo(1);
            FINISH.countDown();
        } finally {
            FINISH.countDown();
        }
    }
}
