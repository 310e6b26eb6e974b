package dev.critter.observability;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.runtime.RuntimeFigures;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CritterMetricsGaugeTests {

    @Test
    void gaugesKeepReportingAfterGarbageCollection() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger depth = new AtomicInteger(7);
        new CritterMetrics(registry, true).started(new RuntimeFigures(Map.of("orders", depth::get), () -> 3, () -> 2L));

        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(registry.get(CritterMetricNames.QUEUE_DEPTH).tag(CritterMetricNames.QUEUE, "orders").gauge().value())
                .isEqualTo(7.0);
        assertThat(registry.get(CritterMetricNames.SCHEDULED_PENDING).gauge().value()).isEqualTo(3.0);
        assertThat(registry.get(CritterMetricNames.DEAD_LETTERS).gauge().value()).isEqualTo(2.0);
    }
}
