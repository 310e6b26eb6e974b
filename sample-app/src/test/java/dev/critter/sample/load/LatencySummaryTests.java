package dev.critter.sample.load;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySummaryTests {

    @Test
    void percentilesAreNearestRankOfTheSortedValues() {
        long[] shuffled = LongStream.rangeClosed(1, 1_000).map(i -> (i * 7919) % 1_000 + 1).toArray();

        LatencySummary summary = LatencySummary.of(shuffled);

        assertThat(summary).isEqualTo(new LatencySummary(1_000, 500, 900, 990, 999, 1_000));
        assertThat(shuffled[0]).isEqualTo(920);
    }

    @Test
    void oneValueIsEveryPercentile() {
        assertThat(LatencySummary.of(new long[] {42})).isEqualTo(new LatencySummary(1, 42, 42, 42, 42, 42));
    }

    @Test
    void formatsInReadableUnits() {
        assertThat(LatencySummary.format(950)).isEqualTo("950 ns");
        assertThat(LatencySummary.format(12_340)).isEqualTo("12.3 us");
        assertThat(LatencySummary.format(4_560_000)).isEqualTo("4.6 ms");
        assertThat(LatencySummary.format(2_500_000_000L)).isEqualTo("2.50 s");
    }
}
