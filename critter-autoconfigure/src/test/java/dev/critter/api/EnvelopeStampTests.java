package dev.critter.api;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeStampTests {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00.123456Z");

    @Test
    void anEnvelopeStampedOnFirstReadReadsTheClockOnceAndKeepsItsIdAndTimeInEveryCopy() {
        AtomicInteger ids = new AtomicInteger();
        Envelope envelope = Envelope.builder()
                .stampOnFirstRead(Clock.fixed(NOW, ZoneOffset.UTC), millis -> {
                    ids.incrementAndGet();
                    return new UUID(millis, 42);
                })
                .messageType("ping").message("hello").build();
        assertThat(ids).hasValue(0);

        UUID id = envelope.id();

        assertThat(id).isEqualTo(new UUID(NOW.toEpochMilli(), 42));
        assertThat(envelope.sentAt()).isEqualTo(NOW);
        assertThat(envelope.correlationId()).isEqualTo(id.toString());
        assertThat(envelope.withAttempts(3).id()).isEqualTo(id);
        assertThat(envelope.toBuilder().build().sentAt()).isEqualTo(NOW);
        assertThat(ids).hasValue(1);
    }

    @Test
    void anEnvelopeWithASentAtTimeMakesItsIdFromThatTimeOnFirstRead() {
        Envelope envelope = Envelope.builder()
                .stampOnFirstRead(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), millis -> new UUID(millis, 7))
                .sentAt(NOW).messageType("ping").message("hello").build();

        assertThat(envelope.id()).isEqualTo(new UUID(NOW.toEpochMilli(), 7));
        assertThat(envelope.sentAt()).isEqualTo(NOW);
    }

    @Test
    void anIdGivenToTheBuilderWinsOverStampingOnFirstRead() {
        UUID given = UUID.randomUUID();
        Envelope envelope = Envelope.builder()
                .stampOnFirstRead(Clock.fixed(NOW, ZoneOffset.UTC), millis -> UUID.randomUUID())
                .id(given).sentAt(Instant.EPOCH).messageType("ping").message("hello").build();

        assertThat(envelope.id()).isEqualTo(given);
        assertThat(envelope.sentAt()).isEqualTo(Instant.EPOCH);
    }
}
