package dev.critter.durability.review.retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import java.time.Instant;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.local.DurableLocalQueue;
import dev.critter.local.LocalTransport;
import dev.critter.durability.review.retry.ReviewApps.Flaky;
import dev.critter.durability.review.retry.ReviewApps.Seen;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.critter.support.DurableRows.Table.INCOMING;
import static dev.critter.support.DurableRows.Table.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable local queue's message whose handler asks for a scheduled retry: the retry comes back
 * to the queue with the same id while the first delivery's row may still be there (its delete is
 * batched, not waited for). The retry must not be taken for a duplicate of a row that is about to go.
 */
class ScheduledRetryIdempotencyIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestDatabase database = TestPostgres.newDatabase(ScheduledRetryIdempotencyIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private ConfigurableApplicationContext app;

    @BeforeEach
    void reset() {
        Seen.reset();
    }

    @AfterEach
    void close() {
        Seen.reset();
        if (app != null) {
            app.close();
        }
    }

    /**
     * Idempotent receive for a message that needed a retry: its retry carries the chain it is
     * meant for, and its row's handled id is then kept under that chain only. The same envelope
     * delivered again later (the outbox relay sending it a second time after a crash between its
     * send and its delete, say) must be recognised as handled.
     */
    @Test
    void aMessageHandledOnItsScheduledRetryIsNotHandledAgainWhenItArrivesOnceMore() {
        app = ReviewApps.start(database);
        DurableLocalQueue queue = app.getBean(LocalTransport.class).endpoints().stream()
                .filter(endpoint -> endpoint instanceof DurableLocalQueue d && d.settings().name().equals("flaky"))
                .map(DurableLocalQueue.class::cast).findFirst().orElseThrow();
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(Flaky.class.getName())
                .message(new Flaky("again")).sentAt(Instant.now()).build();

        queue.send(envelope, false);
        await().atMost(WAIT).until(() -> Seen.handled("again") == 1 && rows.count(INCOMING) == 0
                && rows.count(SCHEDULED) == 0);
        queue.send(envelope, false);

        Envelope other = Envelope.builder().id(UUID.randomUUID()).messageType(Flaky.class.getName())
                .message(new Flaky("after")).sentAt(Instant.now()).build();
        queue.send(other, false);
        await().atMost(WAIT).until(() -> Seen.handled("after") == 1 || Seen.handled("again") > 1);
        assertThat(Seen.handled("again")).as("a handled id is not handled again").isOne();
    }

    /**
     * The same envelope arriving while its scheduled retry still waits: the first delivery's row
     * is gone (it was sent on) and nothing is handled yet, but the id was received here.
     */
    @Test
    void aMessageWhoseRetryIsStillWaitingIsNotHandledAgainWhenItArrivesOnceMore() {
        app = ReviewApps.start(database, "review.retry-delay=1h", "critter.local.queues.flaky.parallelism=1");
        DurableLocalQueue queue = flakyQueue();
        Envelope envelope = flaky("waiting");

        queue.send(envelope, false);
        await().atMost(WAIT).until(() -> Seen.attempts("waiting") == 1 && rows.count(INCOMING) == 0
                && rows.count(SCHEDULED) == 1);
        queue.send(envelope, false);
        queue.send(flaky("behind"), false); // one worker: its attempt starts after the duplicate's would have

        await().atMost(WAIT).until(() -> Seen.attempts("behind") == 1);
        assertThat(Seen.attempts("waiting")).as("the envelope arriving again is not run while its retry waits").isOne();
        assertThat(rows.count(SCHEDULED)).as("one retry each").isEqualTo(2);
    }

    private DurableLocalQueue flakyQueue() {
        return app.getBean(LocalTransport.class).endpoints().stream()
                .filter(endpoint -> endpoint instanceof DurableLocalQueue d && d.settings().name().equals("flaky"))
                .map(DurableLocalQueue.class::cast).findFirst().orElseThrow();
    }

    private static Envelope flaky(String id) {
        return Envelope.builder().id(UUID.randomUUID()).messageType(Flaky.class.getName())
                .message(new Flaky(id)).sentAt(Instant.now()).build();
    }
}
