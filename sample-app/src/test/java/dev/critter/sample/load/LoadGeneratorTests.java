package dev.critter.sample.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.critter.sample.SampleAppTest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load mode's generator, run directly with a small number of messages. */
@SampleAppTest
class LoadGeneratorTests {

    @Autowired LoadGenerator generator;

    @Test
    void pushesEveryMessageThroughAndPrintsThroughputAndPercentiles() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        LoadGenerator.Result result = generator.run(20_000, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(result.handled()).isEqualTo(20_000);
        assertThat(result.latency().count()).isEqualTo(20_000);
        assertThat(result.latency().p50()).isPositive().isLessThanOrEqualTo(result.latency().p99());
        assertThat(result.latency().p99()).isLessThanOrEqualTo(result.latency().max());
        assertThat(result.throughput()).isPositive();
        assertThat(printed)
                .contains("Critter load run: 20,000 LoadPing messages", "through local queue 'load-ping'")
                .contains("\r  [##############################] 100%")
                .contains("throughput  20,000 messages handled in", "msg/s")
                .contains("latency     publish -> handled: p50 ", "p90 ", "p99 ", "p99.9 ", "max ");
    }

    @Test
    void refusesAnEmptyRun() {
        assertThatThrownBy(() -> generator.run(0, System.out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 message");
    }
}
