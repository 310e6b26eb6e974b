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
import dev.critter.transport.Endpoint;
import dev.critter.transport.Inbox;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;
import org.jspecify.annotations.Nullable;


/**
 * The in-memory transport: one bounded {@link LocalQueue} per conventional message type and per
 * queue a publishing rule names, each with its own workers handing envelopes to the receiver.
 */
public final class LocalTransport implements Transport {

    /** The scheme of local queue destinations: {@code local://<queue>}. */
    public static final String SCHEME = "local";


    private final LocalTransportSettings settings;
    private final @Nullable Inbox inbox;
    private volatile LocalQueues group = new LocalQueues(List.of());
    private volatile List<DurableLocalQueue> durable = List.of();
    private volatile List<Endpoint> endpoints = List.of();
    private volatile Map<Class<?>, String> conventional = Map.of();

    /**
     * Creates the transport; queues are planned at start-up.
     * @param settings the defaults queues are planned with
     */
    public LocalTransport(LocalTransportSettings settings) {
        this(settings, null);
    }

    /**
     * Creates the transport; queues are planned at start-up.
     * @param settings the defaults queues are planned with
     * @param inbox where durable queues keep their messages, or null without durability (a durable
     *              queue then fails start-up)
     */
    public LocalTransport(LocalTransportSettings settings, @Nullable Inbox inbox) {
        this.settings = settings;
        this.inbox = inbox;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /**
     * Plans the queues (failing start-up on bad queue configuration) and creates them, stopped: a
     * {@link LocalQueue} each, or a {@link DurableLocalQueue} around one for durable queues.
     */
    @Override
    public synchronized List<Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        LocalQueuePlanner.Plan plan = LocalQueuePlanner.plan(configuration, settings, inbox != null);
        List<LocalQueue> memories = new ArrayList<>();
        List<DurableLocalQueue> durables = new ArrayList<>();
        List<Endpoint> created = new ArrayList<>();
        for (LocalQueueSettings queueSettings : plan.queues().values()) {
            if (inbox != null && plan.durable().contains(queueSettings.name())) {
                DurableLocalQueue queue = new DurableLocalQueue(queueSettings, receiver, settings.workers(), inbox);
                durables.add(queue);
                memories.add(queue.memory());
                created.add(queue);
            } else {
                LocalQueue queue = new LocalQueue(queueSettings, receiver, settings.workers());
                memories.add(queue);
                created.add(queue);
            }
        }
        this.group = new LocalQueues(memories);
        this.durable = List.copyOf(durables);
        this.endpoints = List.copyOf(created);
        this.conventional = Map.copyOf(plan.conventional());
        return endpoints;
    }

    @Override
    public Optional<Destination> conventionalDestination(Class<?> handledType) {
        return Optional.ofNullable(conventional.get(handledType)).map(name -> new Destination(SCHEME, name));
    }

    @Override
    public void start() {
        group.start();
        durable.forEach(DurableLocalQueue::start);
    }

    /**
     * Stops all local queues in two phases, as one group ({@link LocalQueues}); durable queues then
     * give back the rows they still hold.
     */
    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        group.stop(timeout, handlerOf);
        durable.forEach(DurableLocalQueue::release);
    }

    @Override
    public Map<String, IntSupplier> queueDepths() {
        Map<String, IntSupplier> depths = new LinkedHashMap<>();
        group.queues().forEach(queue -> depths.put(queue.settings().name(), queue::depth));
        return depths;
    }

    /**
     * Returns the in-memory queues, in planning order (a durable queue's is the one it wraps).
     * @return the in-memory queues, in planning order
     */
    public List<LocalQueue> queues() {
        return group.queues();
    }

    /**
     * Returns the endpoints of the local queues, in planning order: durable ones as {@link DurableLocalQueue}.
     * @return the endpoints of the local queues
     */
    public List<Endpoint> endpoints() {
        return endpoints;
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
                    s.capacity(), queue.depth(), queue.inFlight(), queue.isRunning(),
                    durable.stream().anyMatch(d -> d.memory() == queue)));
        }
        described.sort(Comparator.comparing(LocalQueueDescription::name));
        return described;
    }
}
