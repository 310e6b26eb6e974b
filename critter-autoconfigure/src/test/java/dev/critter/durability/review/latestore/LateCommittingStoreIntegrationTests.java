package dev.critter.durability.review.latestore;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A publish to a durable local queue whose group-commit store outlasts the publisher's wait (the
 * table is locked, say): the publisher fails, but the insert commits later, owned by this live
 * node and never queued in its memory. Before, the row sat there until a restart; it is now
 * released when it commits, claimed by the queue's poller and handled.
 */
class LateCommittingStoreIntegrationTests {

    static final AtomicInteger HANDLED = new AtomicInteger();

    private final TestDatabase database = TestPostgres.newDatabase(LateCommittingStoreIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());

    public record Work(int n) { }

    public static class WorkHandler {
        public void handle(Work work) {
            HANDLED.incrementAndGet();
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
    void aRowCommittedAfterItsPublisherGaveUpIsHandledAndNotLeftOwnedAndIdle() throws Exception {
        HANDLED.set(0);
        try (ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {Durable.class},
                "critter.handlers.base-packages=" + getClass().getPackageName(),
                "critter.durability.poll-interval=200ms")) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            try (Connection lock = database.dataSource().getConnection()) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    // Inserts wait for this lock: the publisher's wait for its commit (30 s) runs out.
                    statement.execute("LOCK TABLE critter.critter_incoming_envelopes IN SHARE MODE");
                }
                assertThatThrownBy(() -> bus.publish(new Work(1))).hasStackTraceContaining("did not commit within");
                lock.commit(); // the waiting insert commits now, after its publisher gave up
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> HANDLED.get() == 1
                    && rows.count(INCOMING, "status", "queued") == 0);
        }
    }
}
