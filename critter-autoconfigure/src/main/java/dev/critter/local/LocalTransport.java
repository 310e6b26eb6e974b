package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import dev.critter.CritterDiagnostics.LocalQueueDescription;
import dev.critter.transport.Destination;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The in-memory transport: one bounded {@link LocalQueue} per conventional message type and per
 * queue a publishing rule names, each with its own workers handing envelopes to the receiver.
 */
public final class LocalTransport implements Transport {

    /** The scheme of local queue destinations: {@code local://<queue>}. */
    public static final String SCHEME = "local";

    private static final Log logger = LogFactory.getLog(LocalTransport.class);

    private final LocalTransportSettings settings;
    private volatile List<LocalQueue> queues = List.of();
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
            created.add(new LocalQueue(queueSettings, receiver));
        }
        this.queues = List.copyOf(created);
        this.conventional = Map.copyOf(plan.conventional());
        return queues;
    }

    @Override
    public Optional<Destination> conventionalDestination(Class<?> handledType) {
        return Optional.ofNullable(conventional.get(handledType)).map(name -> new Destination(SCHEME, name));
    }

    @Override
    public void start() {
        queues.forEach(LocalQueue::start);
    }

    /**
     * Every queue stops taking outside messages at once and drains in parallel, so a handler on one
     * queue can still cascade onto another while both drain.
     */
    @Override
    public void stop(Duration timeout) {
        List<Thread> stoppers = new ArrayList<>();
        for (LocalQueue queue : queues) {
            Thread stopper = new Thread(() -> queue.stop(timeout), "critter-stop-" + queue.settings().name());
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                logger.warn("Interrupted while local queues drained; not waiting for the rest");
                break;
            }
        }
    }

    @Override
    public Map<String, IntSupplier> queueDepths() {
        Map<String, IntSupplier> depths = new LinkedHashMap<>();
        queues.forEach(queue -> depths.put(queue.settings().name(), queue::depth));
        return depths;
    }

    /**
     * Returns the local queues, in planning order.
     * @return the local queues, in planning order
     */
    public List<LocalQueue> queues() {
        return queues;
    }

    /**
     * Returns each queue's settings and depth, by name, for diagnostics.
     * @return each queue's settings and depth, by name, for diagnostics
     */
    public List<LocalQueueDescription> describeQueues() {
        List<LocalQueueDescription> described = new ArrayList<>();
        for (LocalQueue queue : queues) {
            LocalQueueSettings s = queue.settings();
            described.add(new LocalQueueDescription(s.name(), s.parallelism(), s.mode().name().toLowerCase(Locale.ROOT),
                    s.capacity(), queue.depth(), false));
        }
        described.sort(Comparator.comparing(LocalQueueDescription::name));
        return described;
    }
}
