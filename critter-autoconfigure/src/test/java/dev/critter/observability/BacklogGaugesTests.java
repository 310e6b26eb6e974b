package dev.critter.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.durability.Backlog;
import dev.critter.runtime.RuntimeFigures;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The backlog gauges read the last figures measured, and take over the store gauges of {@link CritterMetrics}. */
class BacklogGaugesTests {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private final AtomicReference<Backlog> figures = new AtomicReference<>();

    @Test
    void reportNaNBeforeTheFirstMeasurementThenTheLastFigures() {
        new BacklogGauges(figures::get).registerOn(registry);

        assertThat(value(CritterMetricNames.OUTBOX_PENDING)).isNaN();

        figures.set(new Backlog(12, Duration.ofMillis(4500), 3, Duration.ofSeconds(2), 5, 2));

        assertThat(value(CritterMetricNames.OUTBOX_PENDING)).isEqualTo(12);
        assertThat(value(CritterMetricNames.OUTBOX_OLDEST_AGE)).isEqualTo(4.5);
        assertThat(value(CritterMetricNames.SCHEDULED_PENDING)).isEqualTo(3);
        assertThat(value(CritterMetricNames.SCHEDULED_OVERDUE_AGE)).isEqualTo(2);
        assertThat(value(CritterMetricNames.DEAD_LETTERS)).isEqualTo(5);
        assertThat(registry.get(CritterMetricNames.SCHEDULED_OVERDUE_AGE).gauge().getId().getBaseUnit())
                .isEqualTo("seconds");
        assertThat(registry.get(CritterMetricNames.DEAD_LETTERS).gauge().getId().getBaseUnit()).isEqualTo("messages");
    }

    @Test
    void critterMetricsLeavesTheScheduledAndDeadLetterGaugesToThem() {
        new BacklogGauges(figures::get).registerOn(registry);
        figures.set(new Backlog(0, Duration.ZERO, 3, Duration.ZERO, 5, 1));

        new CritterMetrics(registry, false).started(new RuntimeFigures(Map.of(), () -> 100, () -> 200));

        assertThat(value(CritterMetricNames.SCHEDULED_PENDING)).isEqualTo(3);
        assertThat(value(CritterMetricNames.DEAD_LETTERS)).isEqualTo(5);
    }

    @Test
    void withoutThemCritterMetricsCountsItsStores() {
        new CritterMetrics(registry, false).started(new RuntimeFigures(Map.of(), () -> 100, () -> 200));

        assertThat(value(CritterMetricNames.SCHEDULED_PENDING)).isEqualTo(100);
        assertThat(value(CritterMetricNames.DEAD_LETTERS)).isEqualTo(200);
    }

    private double value(String name) {
        return registry.get(name).gauge().value();
    }
}
