package dev.critter.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

    @Test
    void aPublishedEnvelopeTakesTenantAndCorrelationFromTheOptionsElseTheParentAndItsTimesFromSentAt() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        Envelope parent = Envelope.builder().id(new UUID(1, 1)).sentAt(Instant.EPOCH).messageType("parent")
                .message("p").tenantId("acme").correlationId("conversation").build();

        Envelope inherited = Envelope.published("child", "child-type", DeliveryOptions.builder()
                .delay(Duration.ofSeconds(5)).deliverWithin(Duration.ofMinutes(1)).header("k", "v").build(),
                parent, NOW, "orders", clock, millis -> new UUID(millis, 9));

        assertThat(inherited.tenantId()).isEqualTo("acme");
        assertThat(inherited.correlationId()).isEqualTo("conversation");
        assertThat(inherited.causationId()).isEqualTo(parent.id());
        assertThat(inherited.sentAt()).isEqualTo(NOW);
        assertThat(inherited.scheduledAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(inherited.deliverBy()).isEqualTo(NOW.plusSeconds(60));
        assertThat(inherited.headers()).containsExactly(Map.entry("k", "v"));
        assertThat(inherited.source()).isEqualTo("orders");
        assertThat(inherited.messageType()).isEqualTo("child-type");
        assertThat(inherited.attempts()).isZero();
        assertThat(inherited.id()).isEqualTo(new UUID(NOW.toEpochMilli(), 9));

        Envelope own = Envelope.published("child", "child-type",
                DeliveryOptions.builder().tenantId("other").correlationId("mine").build(),
                parent, NOW, null, clock, millis -> new UUID(millis, 9));
        assertThat(own.tenantId()).isEqualTo("other");
        assertThat(own.correlationId()).isEqualTo("mine");
        assertThat(own.scheduledAt()).isNull();
        assertThat(own.deliverBy()).isNull();
    }

    @Test
    void aPublishedEnvelopeWithoutSentAtReadsItOnFirstReadAndRefusesTimingOptions() {
        Envelope root = Envelope.published("ping", "ping", DeliveryOptions.none(), null, null, null,
                Clock.fixed(NOW, ZoneOffset.UTC), millis -> new UUID(millis, 3));

        assertThat(root.sentAt()).isEqualTo(NOW);
        assertThat(root.id()).isEqualTo(new UUID(NOW.toEpochMilli(), 3));
        assertThat(root.correlationId()).isEqualTo(root.id().toString());
        assertThat(root.causationId()).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> Envelope.published("ping", "ping",
                DeliveryOptions.builder().delay(Duration.ofSeconds(1)).build(), null, null, null,
                Clock.fixed(NOW, ZoneOffset.UTC), millis -> new UUID(millis, 3)));
    }
}
