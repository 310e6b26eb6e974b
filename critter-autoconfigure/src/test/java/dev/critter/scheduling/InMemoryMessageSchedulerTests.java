package dev.critter.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.Envelope;
import dev.critter.testing.TestClock;
import dev.critter.time.TimeSource;
import dev.critter.transport.Destination;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InMemoryMessageSchedulerTests {

    private static final Destination QUEUE = new Destination("local", "test");

    private static Envelope due(TestClock clock, String text, Duration in) {
        Instant now = clock.instant();
        return Envelope.builder().id(UUID.randomUUID()).messageType("test").message(text).sentAt(now)
                .scheduledAt(now.plus(in)).build();
    }

    @Test
    void aMessageTheStoppedSchedulerRefusesIsNotCountedAsPending() {
        TestClock clock = new TestClock();
        InMemoryMessageScheduler scheduler = new InMemoryMessageScheduler(10, new TimeSource(clock));
        scheduler.start((envelope, destination) -> { });
        scheduler.stop(Duration.ofSeconds(1));

        assertThatThrownBy(() -> scheduler.schedule(due(clock, "late", Duration.ofHours(1)), QUEUE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void messagesAreDeliveredWhenTheClockReachesTheirDueTimeInDueOrder() {
        TestClock clock = new TestClock();
        InMemoryMessageScheduler scheduler = new InMemoryMessageScheduler(10, new TimeSource(clock));
        List<Object> delivered = new CopyOnWriteArrayList<>();
        scheduler.start((envelope, destination) -> delivered.add(envelope.message()));
        try {
            scheduler.schedule(due(clock, "in two hours", Duration.ofHours(2)), QUEUE);
            scheduler.schedule(due(clock, "in one hour", Duration.ofHours(1)), QUEUE);

            clock.advance(Duration.ofMinutes(59));
            scheduler.schedule(due(clock, "now", Duration.ZERO), QUEUE);
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);
            assertThat(delivered).containsExactly("now");
            assertThat(scheduler.pending()).isEqualTo(2);

            clock.advance(Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 2);
            assertThat(delivered).containsExactly("now", "in one hour");

            clock.advance(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 3);
            assertThat(delivered).containsExactly("now", "in one hour", "in two hours");
            assertThat(scheduler.pending()).isZero();
        } finally {
            scheduler.stop(Duration.ofSeconds(1));
        }
    }
}
