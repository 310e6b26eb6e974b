package dev.critter.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedUuidsTests {

    @Test
    void idsAreVersion7AndSortByCreationTime() {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        UUID earlier = new TimeOrderedUuids(Clock.fixed(t0, ZoneOffset.UTC)).next();
        UUID later = new TimeOrderedUuids(Clock.fixed(t0.plusMillis(1), ZoneOffset.UTC)).next();
        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(t0.toEpochMilli());
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();
    }
}
