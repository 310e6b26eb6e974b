package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;

import dev.critter.CritterDiagnostics.LocalQueueDescription;
import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;


/**
 * The in-memory transport: one bounded {@link LocalQueue} per conventional message type and per
 * queue a publishing rule names, each with its own workers handing envelopes to the receiver.
 */
public final class LocalTransport implements Transport {

    /** The scheme of local queue destinations: {@code local://<queue>}. */
    public static final String SCHEME = "local";


    private final LocalTransportSettings settings;
    private volatile LocalQueues group = new LocalQueues(List.of());
    private volatile Map<Class<?>, String> conventional = Map.of();

    /**
     * Creates the transport; queues are planned at start-up.
     * @param settings the defaults queues are planned with
     */
    public LocalTransport(LocalTransportSettings settings) {
        this.settings = settings;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** Plans the queues (failing start-up on bad queue configuration) and creates them, stopped. */
    @Override
    public synchronized List<LocalQueue> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        LocalQueuePlanner.Plan plan = LocalQueuePlanner.plan(configuration, settings);
        List<LocalQueue> created = new ArrayList<>();
        for (LocalQueueSettings queueSettings : plan.queues().values()) {
            created.add(new LocalQueue(queueSettings, receiver, settings.workers()));
        }
        this.group = new LocalQueues(created);
        this.conventional = Map.copyOf(plan.conventional());
        return group.queues();
    }

    @Override
    public Optional<Destination> conventionalDestination(Class<?> handledType) {
        return Optional.ofNullable(conventional.get(handledType)).map(name -> new Destination(SCHEME, name));
    }

    @Override
    public void start() {
        group.start();
    }

    /** Stops all local queues in two phases, as one group ({@link LocalQueues}). */
    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        group.stop(timeout, handlerOf);
    }

    @Override
    public Map<String, IntSupplier> queueDepths() {
        Map<String, IntSupplier> depths = new LinkedHashMap<>();
        group.queues().forEach(queue -> depths.put(queue.settings().name(), queue::depth));
        return depths;
    }

    /**
     * Returns the local queues, in planning order.
     * @return the local queues, in planning order
     */
    public List<LocalQueue> queues() {
        return group.queues();
    }

    /**
     * Returns each queue's settings and depth, by name, for diagnostics.
     * @return each queue's settings and depth, by name, for diagnostics
     */
    public List<LocalQueueDescription> describeQueues() {
        List<LocalQueueDescription> described = new ArrayList<>();
        for (LocalQueue queue : group.queues()) {
            LocalQueueSettings s = queue.settings();
            described.add(new LocalQueueDescription(s.name(), s.parallelism(), s.mode().name().toLowerCase(Locale.ROOT),
                    s.capacity(), queue.depth(), queue.inFlight(), queue.isRunning(), false));
        }
        described.sort(Comparator.comparing(LocalQueueDescription::name));
        return described;
    }
}
