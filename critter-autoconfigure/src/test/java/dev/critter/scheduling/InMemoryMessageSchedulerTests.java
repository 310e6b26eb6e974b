package dev.critter.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.critter.Envelope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryMessageSchedulerTests {

    private static Envelope dueInAnHour(Clock clock) {
        Instant now = clock.instant();
        return Envelope.builder().id(UUID.randomUUID()).messageType("test").message("hello").sentAt(now)
                .scheduledAt(now.plus(Duration.ofHours(1))).build();
    }

    @Test
    void aMessageTheStoppedTimerRefusesIsNotCountedAsPending() {
        Clock clock = Clock.systemUTC();
        InMemoryMessageScheduler scheduler = new InMemoryMessageScheduler(10, clock);
        scheduler.start((envelope, destination) -> { });
        scheduler.stop(Duration.ofSeconds(1));

        assertThatThrownBy(() -> scheduler.schedule(dueInAnHour(clock), "local://test"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
        assertThat(scheduler.pending()).isZero();
    }
}
