package dev.critter.durability.jdbc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterRetentionTests {

    @Test
    void cleanUpRunsEveryMinuteForALongRetention() {
        assertThat(DeadLetterRetention.interval(Duration.ofDays(14), Duration.ofSeconds(1))).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void cleanUpRunsEveryTenthOfAShortRetentionButNoMoreOftenThanThePollInterval() {
        assertThat(DeadLetterRetention.interval(Duration.ofMinutes(5), Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeadLetterRetention.interval(Duration.ofSeconds(1), Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void likePatternsMatchTheExceptionTypeLiterally() {
        assertThat(DeadLetterFilters.likeLiteral("My_Error%\\")).isEqualTo("My\\_Error\\%\\\\");
    }
}
