package dev.critter.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.handler.HandlerDescriptor;
import dev.critter.runtime.MessageObserver;
import dev.critter.runtime.RuntimeFigures;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import static dev.critter.observability.CritterMetricNames.*;

/**
 * Records Critter's metrics on a Micrometer registry. Meters are looked up once per tag
 * combination and cached, so the per-message cost is a map lookup and an increment.
 */
public final class CritterMetrics implements MessageObserver {

    private final MeterRegistry registry;
    private final boolean tagTenant;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param registry the registry to record on
     * @param tagTenant whether to tag meters with the tenant id (mind the cardinality)
     */
    public CritterMetrics(MeterRegistry registry, boolean tagTenant) {
        this.registry = registry;
        this.tagTenant = tagTenant;
    }

    private record Key(String name, String messageType, String extra, String tenant) {
    }

    private String tenant(Envelope envelope) {
        String tenant = envelope.tenantId();
        return tagTenant && tenant != null ? tenant : NO_TENANT;
    }

    private Counter counter(String name, String messageType, @Nullable String extraTag, String extra, String tenant) {
        return counters.computeIfAbsent(new Key(name, messageType, extra, tenant), k -> {
            Counter.Builder builder = Counter.builder(name).tag(MESSAGE_TYPE, messageType).tag(TENANT, tenant);
            if (extraTag != null) {
                builder.tag(extraTag, extra);
            }
            return builder.register(registry);
        });
    }

    @Override
    public boolean timesHandlers() {
        return true;
    }

    @Override
    public void accepted(Envelope envelope, String destination) {
        counter(MESSAGES_PUBLISHED, envelope.messageType(), DESTINATION, destination, tenant(envelope)).increment();
    }

    @Override
    public void noRoute(Envelope envelope) {
        counter(MESSAGES_NO_ROUTE, envelope.messageType(), null, "", tenant(envelope)).increment();
    }

    @Override
    public void expired(Envelope envelope, String destination) {
        counter(MESSAGES_EXPIRED, envelope.messageType(), null, "", tenant(envelope)).increment();
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        Envelope envelope = deadLetter.envelope();
        counter(MESSAGES_DEAD_LETTERED, envelope.messageType(), null, "", tenant(envelope)).increment();
    }

    @Override
    public void executed(Envelope envelope, HandlerDescriptor handler, long nanos, @Nullable Throwable failure) {
        String outcome = failure == null ? SUCCESS : FAILURE;
        String tenant = tenant(envelope);
        timers.computeIfAbsent(new Key(MESSAGES_HANDLED, envelope.messageType(), outcome, tenant), k ->
                Timer.builder(MESSAGES_HANDLED).tag(MESSAGE_TYPE, envelope.messageType()).tag(OUTCOME, outcome)
                        .tag(TENANT, tenant).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers the gauges. They hold their suppliers strongly: Micrometer keeps gauge state
     * objects by weak reference, and these suppliers are referenced nowhere else.
     */
    @Override
    public void started(RuntimeFigures figures) {
        figures.queueDepths().forEach((queue, depth) -> Gauge.builder(QUEUE_DEPTH, depth, IntSupplier::getAsInt)
                .tag(QUEUE, queue).strongReference(true).register(registry));
        Gauge.builder(SCHEDULED_PENDING, figures.scheduledPending(), IntSupplier::getAsInt)
                .strongReference(true).register(registry);
        Gauge.builder(DEAD_LETTERS, figures.deadLetters(), d -> (double) d.getAsLong())
                .strongReference(true).register(registry);
    }
}
