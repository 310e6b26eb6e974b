package dev.critter.observability;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.critter.durability.Backlog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import static dev.critter.observability.CritterMetricNames.*;

/**
 * The gauges of durability's backlog: {@value CritterMetricNames#OUTBOX_PENDING},
 * {@value CritterMetricNames#OUTBOX_OLDEST_AGE}, {@value CritterMetricNames#SCHEDULED_PENDING},
 * {@value CritterMetricNames#SCHEDULED_OVERDUE_AGE} and {@value CritterMetricNames#DEAD_LETTERS}.
 * They read the figures a periodic query last measured (never the database), and report NaN
 * before the first measurement.
 */
public final class BacklogGauges {

    /** Base unit of the age gauges (Micrometer's convention for time, e.g. {@code _seconds} in Prometheus). */
    static final String SECONDS = "seconds";

    private final Supplier<@Nullable Backlog> backlog;

    /**
     * Creates the gauges' source.
     * @param backlog the last figures measured, or null before the first
     */
    public BacklogGauges(Supplier<@Nullable Backlog> backlog) {
        this.backlog = backlog;
    }

    /**
     * Registers the gauges. Register them before the runtime starts: {@link CritterMetrics} then
     * leaves the scheduled and dead-letter gauges to them instead of counting its stores on every scrape.
     * @param registry where to register them
     * @return this
     */
    public BacklogGauges registerOn(MeterRegistry registry) {
        gauge(registry, OUTBOX_PENDING, "Outbox rows: messages their destination has not accepted yet",
                CritterMetrics.MESSAGES, Backlog::outboxPending);
        gauge(registry, OUTBOX_OLDEST_AGE, "How long the oldest outbox row has been waiting (0 when empty)",
                SECONDS, b -> seconds(b.oldestOutbox()));
        gauge(registry, SCHEDULED_PENDING, "Scheduled messages waiting for their due time (not yet claimed)",
                CritterMetrics.MESSAGES, Backlog::scheduledWaiting);
        gauge(registry, SCHEDULED_OVERDUE_AGE,
                "How far past its due time the most overdue unclaimed scheduled message is (0 when none is overdue)",
                SECONDS, b -> seconds(b.mostOverdueScheduled()));
        gauge(registry, DEAD_LETTERS, "Dead letters stored", CritterMetrics.MESSAGES, Backlog::deadLetters);
        return this;
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<Backlog> figure) {
        // Held strongly: Micrometer keeps a gauge's state object by weak reference, and this is the only reference.
        Gauge.builder(name, this, gauges -> {
            Backlog current = gauges.backlog.get();
            return current == null ? Double.NaN : figure.applyAsDouble(current);
        }).description(description).baseUnit(unit).strongReference(true).register(registry);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
