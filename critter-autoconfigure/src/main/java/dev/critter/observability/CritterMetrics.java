package dev.critter.observability;

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
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import static dev.critter.observability.CritterMetricNames.*;

/**
 * Records Critter's metrics on a Micrometer registry. Meters are created on first use and kept in
 * maps keyed by objects every event already has (the message type name, the destination address,
 * the exception class), so recording an event allocates nothing: a lookup or two and an increment.
 */
public final class CritterMetrics implements MessageObserver {

    /** Base unit of the message counters and gauges. */
    static final String MESSAGES = "messages";

    private final MeterRegistry registry;
    private final boolean tagTenant;
    /** By message type name; with tenant tagging, one more level by tenant. */
    private final ConcurrentHashMap<String, TypeMeters> byType = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, TypeMeters>> byTypeAndTenant =
            new ConcurrentHashMap<>();

    /**
     * Creates the metrics observer.
     * @param registry the registry to record on
     * @param tagTenant whether to tag meters with the tenant id (one series per tenant: mind the cardinality)
     */
    public CritterMetrics(MeterRegistry registry, boolean tagTenant) {
        this.registry = registry;
        this.tagTenant = tagTenant;
    }

    private TypeMeters meters(Envelope envelope) {
        String type = envelope.messageType();
        if (!tagTenant) {
            TypeMeters meters = byType.get(type);
            return meters != null ? meters : byType.computeIfAbsent(type, t -> new TypeMeters(t, null));
        }
        String tenant = envelope.tenantId() != null ? envelope.tenantId() : NO_TENANT;
        ConcurrentHashMap<String, TypeMeters> byTenant = byTypeAndTenant.get(type);
        if (byTenant == null) {
            byTenant = byTypeAndTenant.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        }
        TypeMeters meters = byTenant.get(tenant);
        return meters != null ? meters : byTenant.computeIfAbsent(tenant, t -> new TypeMeters(type, t));
    }

    @Override
    public boolean timesHandlers() {
        return true;
    }

    @Override
    public void accepted(Envelope envelope, String destination) {
        meters(envelope).published(destination).increment();
    }

    @Override
    public void noRoute(Envelope envelope) {
        meters(envelope).noRoute().increment();
    }

    @Override
    public void expired(Envelope envelope, String destination) {
        meters(envelope).expired().increment();
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        meters(deadLetter.envelope()).deadLettered().increment();
    }

    @Override
    public void executed(Envelope envelope, HandlerDescriptor handler, long nanos, @Nullable Throwable failure) {
        meters(envelope).handled(failure).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers the gauges, except those {@link BacklogGauges} registered already. They hold their
     * suppliers strongly: Micrometer keeps gauge state objects by weak reference, and these
     * suppliers are referenced nowhere else.
     */
    @Override
    public void started(RuntimeFigures figures) {
        figures.queueDepths().forEach((queue, depth) -> Gauge.builder(QUEUE_DEPTH, depth, IntSupplier::getAsInt)
                .description("Messages waiting in a local queue (not those being handled)").baseUnit(MESSAGES)
                .tag(QUEUE, queue).strongReference(true).register(registry));
        // With durability the stores are tables: BacklogGauges registered these from a periodic
        // query before the runtime started, and counting the tables on every scrape is what it avoids.
        if (registry.find(SCHEDULED_PENDING).gauge() == null) {
            Gauge.builder(SCHEDULED_PENDING, figures.scheduledPending(), IntSupplier::getAsInt)
                    .description("Scheduled messages waiting for their due time").baseUnit(MESSAGES)
                    .strongReference(true).register(registry);
        }
        if (registry.find(DEAD_LETTERS).gauge() == null) {
            Gauge.builder(DEAD_LETTERS, figures.deadLetters(), d -> (double) d.getAsLong())
                    .description("Dead letters stored").baseUnit(MESSAGES)
                    .strongReference(true).register(registry);
        }
    }

    /** The meters of one message type (and tenant), each created on first use. */
    private final class TypeMeters {

        private final Tags tags;
        private final ConcurrentHashMap<String, Counter> published = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<Class<?>, Timer> failed = new ConcurrentHashMap<>();
        private volatile @Nullable Timer succeeded;
        private volatile @Nullable Counter noRoute;
        private volatile @Nullable Counter expired;
        private volatile @Nullable Counter deadLettered;

        TypeMeters(String messageType, @Nullable String tenant) {
            Tags base = Tags.of(MESSAGE_TYPE, messageType);
            this.tags = tenant != null ? base.and(TENANT, tenant) : base;
        }

        Counter published(String destination) {
            Counter counter = published.get(destination);
            return counter != null ? counter : published.computeIfAbsent(destination, d -> Counter.builder(MESSAGES_PUBLISHED)
                    .description("Messages handed to a destination").baseUnit(MESSAGES)
                    .tags(tags).tag(DESTINATION, d).register(registry));
        }

        Counter noRoute() {
            Counter counter = noRoute;
            if (counter == null) {
                counter = Counter.builder(MESSAGES_NO_ROUTE).description("Messages published without any route")
                        .baseUnit(MESSAGES).tags(tags).register(registry);
                noRoute = counter;
            }
            return counter;
        }

        Counter expired() {
            Counter counter = expired;
            if (counter == null) {
                counter = Counter.builder(MESSAGES_EXPIRED)
                        .description("Messages discarded unhandled because their deliver-by time passed")
                        .baseUnit(MESSAGES).tags(tags).register(registry);
                expired = counter;
            }
            return counter;
        }

        Counter deadLettered() {
            Counter counter = deadLettered;
            if (counter == null) {
                counter = Counter.builder(MESSAGES_DEAD_LETTERED).description("Messages moved to the dead letters")
                        .baseUnit(MESSAGES).tags(tags).register(registry);
                deadLettered = counter;
            }
            return counter;
        }

        Timer handled(@Nullable Throwable failure) {
            if (failure == null) {
                Timer timer = succeeded;
                if (timer == null) {
                    timer = timer(SUCCESS, NO_EXCEPTION);
                    succeeded = timer;
                }
                return timer;
            }
            Timer timer = failed.get(failure.getClass());
            return timer != null ? timer
                    : failed.computeIfAbsent(failure.getClass(), type -> timer(FAILURE, exceptionTag(type)));
        }

        /** The simple name, as Spring Boot's own timers tag it; anonymous classes by their full name. */
        private static String exceptionTag(Class<?> type) {
            return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        }

        // Registering twice (a race on the lazy fields) is harmless: the registry returns the same meter.
        private Timer timer(String outcome, String exception) {
            return Timer.builder(MESSAGES_HANDLED).description("Handler attempts and how long they took")
                    .tags(tags).tag(OUTCOME, outcome).tag(EXCEPTION, exception).register(registry);
        }
    }
}
