package dev.critter.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterOptions;
import dev.critter.Envelope;
import dev.critter.PublishingRule;
import dev.critter.PublishingRules;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.error.ErrorPolicies;
import dev.critter.handler.HandlerGraph;
import dev.critter.handler.HandlerGraphBuilder;
import dev.critter.handler.MessageTypes;
import dev.critter.handler.HandlerScanner;
import dev.critter.handler.NearMiss;
import dev.critter.routing.Endpoints;
import dev.critter.routing.MessageRouter;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.time.TimeSource;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Outbox;
import dev.critter.transport.Receipt;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds Critter once every singleton exists (so handlers and configurers may depend on the bus
 * without a cycle): handlers, then each transport's endpoints, routes and the pipeline; starts
 * the transports and the scheduler with the context, and drains them on shutdown.
 */
public final class CritterRuntime implements SmartInitializingSingleton, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(CritterRuntime.class);

    /** Starts before the web server accepts requests, stops after it stopped taking them. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final RuntimeSettings settings;
    private final Supplier<CritterOptions> options;
    private final Collaborators collaborators;
    private volatile @Nullable Built built;
    private volatile boolean running;

    /**
     * Creates the runtime.
     * @param settings resolved settings
     * @param options the Java/property configuration, built when Critter starts
     * @param collaborators the transports, stores and observers Critter works with
     */
    public CritterRuntime(RuntimeSettings settings, Supplier<CritterOptions> options, Collaborators collaborators) {
        this.settings = settings;
        this.options = options;
        this.collaborators = collaborators;
    }

    /**
     * What the runtime works with, supplied by the auto-configuration.
     * @param beanFactory resolves handler instances and parameters
     * @param classLoader loads handler classes
     * @param resourceLoader finds handler classes: the application context, whose resource pattern
     *                       resolver keeps the jar listings its component scan read and whose
     *                       metadata cache keeps the classes it read, until the context has refreshed
     * @param transports the transports whose endpoints messages are routed to (local queues first)
     * @param deadLetters where failed messages go
     * @param scheduler holds delayed messages
     * @param observers metrics, tracking and other observers, resolved at start-up
     * @param time the clock and the waits on it
     * @param instrumentation observations and MDC around handler attempts and sends, resolved at start-up
     * @param messageTypes the registry of known message types, shared with what reads stored and received messages
     * @param outbox where messages published in a transaction are stored in it (durability), or {@code null}:
     *               held in memory until the commit
     */
    public record Collaborators(AutowireCapableBeanFactory beanFactory, ClassLoader classLoader,
                                ResourceLoader resourceLoader, List<Transport> transports,
                                DeadLetterStore deadLetters, MessageScheduler scheduler,
                                Supplier<List<MessageObserver>> observers, TimeSource time,
                                Supplier<Instrumentation> instrumentation, MessageTypes messageTypes,
                                @Nullable Outbox outbox) {

        /**
         * Copies the list.
         * @param beanFactory resolves handler instances and parameters
         * @param classLoader loads handler classes
         * @param resourceLoader finds handler classes (the application context)
         * @param transports the transports whose endpoints messages are routed to (local queues first)
         * @param deadLetters where failed messages go
         * @param scheduler holds delayed messages
         * @param observers metrics, tracking and other observers, resolved at start-up
         * @param time the clock and the waits on it
         * @param instrumentation observations and MDC around handler attempts and sends, resolved at start-up
         * @param messageTypes the registry of known message types, shared with what reads stored and received messages
         * @param outbox where messages published in a transaction are stored in it (durability), or {@code null}
         */
        public Collaborators {
            transports = List.copyOf(transports);
        }
    }

    /** What {@link #build()} made. */
    private record Built(HandlerGraph graph, MessageRouter router, ErrorPolicies policies, Dispatcher dispatcher,
                         InlineInvoker invoker, PendingReplies replies, Observers observers, Endpoints endpoints) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        build();
    }

    /** Discovers handlers, generates invokers, builds endpoints and routes; fails on bad configuration. */
    synchronized void build() {
        if (built != null) {
            return;
        }
        // On this thread, through the context's caches, which hold until the context has
        // refreshed: the component scan listed the jars and read the classes of the
        // application's packages already (docs/benchmarks.md, "sixth pass").
        HandlerScanner scanner = new HandlerScanner(collaborators.classLoader(), collaborators.resourceLoader());
        List<Class<?>> handlerClasses = scanner.find(settings.basePackages());
        List<NearMiss> nearMisses = scanner.nearMisses();
        HandlerScanner.warnAbout(nearMisses);
        HandlerGraph graph = new HandlerGraphBuilder(collaborators.beanFactory())
                .build(handlerClasses, nearMisses, collaborators.messageTypes());
        CritterOptions configured = options.get();
        // A type only published (no handler here) must read back too: the outbox relay reads its rows.
        for (PublishingRule rule : configured.publishingRules()) {
            if (rule.matches() instanceof PublishingRules.ExactType exact) {
                collaborators.messageTypes().register(exact.type());
            }
        }
        Observers observers = new Observers(collaborators.observers().get());
        TimeSource time = collaborators.time();
        Instrumentation instrumentation = collaborators.instrumentation().get();

        // Transports get the receiver before the pipeline exists (the pipeline needs the routes,
        // which need the endpoints); nothing is received before start().
        ForwardingReceiver receiver = new ForwardingReceiver();
        Endpoints endpoints = new Endpoints();
        TransportConfiguration transportConfiguration = new TransportConfiguration(configured, graph.handledTypes());
        for (Transport transport : collaborators.transports()) {
            for (Endpoint endpoint : transport.endpoints(transportConfiguration, receiver)) {
                if (!endpoint.destination().hasScheme(transport.scheme())) {
                    throw new CritterConfigurationException("Transport " + transport.getClass().getName()
                            + " built an endpoint for " + endpoint.destination() + ", outside its scheme '"
                            + transport.scheme() + "'", "Fix the transport");
                }
                endpoints.register(endpoint);
            }
        }
        MessageRouter router = new MessageRouter(configured.publishingRules(), endpoints, type ->
                conventionalRoute(type).or(() -> graph.mostSpecificHandledType(type)
                        .flatMap(this::conventionalDestination).flatMap(endpoints::find)).orElse(null));
        ErrorPolicies policies = new ErrorPolicies(configured.exceptionPolicies(), configured.messageTypeRules(),
                ErrorPolicies.defaultPolicy(settings.defaultRetryCooldowns()));
        EnvelopeFactory envelopes = new EnvelopeFactory(time, settings.serviceName());
        DeadLettering deadLettering = new DeadLettering(collaborators.deadLetters(), observers, time,
                collaborators.messageTypes());
        Dispatcher dispatcher = new Dispatcher(router, endpoints, envelopes, observers, collaborators.scheduler(),
                deadLettering, instrumentation, collaborators.outbox());
        ChainRunner runner = new ChainRunner(observers, policies, deadLettering, dispatcher, time, instrumentation);
        PendingReplies replies = new PendingReplies(settings.invokeTimeout(),
                new RemoteReplies(collaborators.transports(), collaborators.messageTypes()));
        InlineInvoker invoker = new InlineInvoker(graph, runner, dispatcher, envelopes, observers, replies);
        receiver.deliverTo(new HandlerPipeline(graph, runner, invoker.services(), observers, deadLettering, replies,
                time));
        collaborators.deadLetters().replayWith(dispatcher::replay);
        this.built = new Built(graph, router, policies, dispatcher, invoker, replies, observers, endpoints);
        logger.info("Critter found " + graph.chains().size() + " handler(s) for " + graph.handledTypes().size()
                + " message type(s) in " + settings.basePackages() + "; endpoints: "
                + endpoints.all().stream().map(Endpoint::address).toList());
    }

    /** A transport that routes every rule-less type by its own convention wins over the handled-type conventions. */
    private Optional<Endpoint> conventionalRoute(Class<?> messageType) {
        for (Transport transport : collaborators.transports()) {
            Optional<Endpoint> endpoint = transport.conventionalRoute(messageType);
            if (endpoint.isPresent()) {
                return endpoint;
            }
        }
        return Optional.empty();
    }

    private Optional<Destination> conventionalDestination(Class<?> handledType) {
        for (Transport transport : collaborators.transports()) {
            Optional<Destination> destination = transport.conventionalDestination(handledType);
            if (destination.isPresent()) {
                return destination;
            }
        }
        return Optional.empty();
    }

    private Built built() {
        Built current = built;
        if (current == null) {
            throw new IllegalStateException("Critter is not started yet: publish once the application context "
                    + "has refreshed (from an ApplicationRunner, a request or an event listener), not while beans are created");
        }
        return current;
    }

    /**
     * Returns publish, send and schedule.
     * @return publish, send and schedule
     */
    Dispatcher dispatcher() {
        return built().dispatcher();
    }

    /**
     * Returns invoke and invokeAsync.
     * @return invoke and invokeAsync
     */
    InlineInvoker invoker() {
        return built().invoker();
    }

    @Override
    public void start() {
        Built current = built();
        Set<Destination> destinations = new LinkedHashSet<>();
        current.endpoints().all().forEach(endpoint -> destinations.add(endpoint.destination()));
        collaborators.scheduler().start(current.dispatcher()::dispatchDue, destinations);
        Map<String, IntSupplier> depths = new LinkedHashMap<>();
        for (Transport transport : collaborators.transports()) {
            transport.start();
            depths.putAll(transport.queueDepths());
        }
        current.observers().started(new RuntimeFigures(depths, collaborators.scheduler()::pending,
                collaborators.deadLetters()::count));
        Outbox outbox = collaborators.outbox();
        if (outbox != null) {
            // Once the transports run: what the outbox kept goes to endpoints that accept it.
            outbox.relayTo(destinations, current.dispatcher()::relay);
        }
        running = true;
    }

    /** Stops on the calling thread; blocks up to the shutdown timeout (plus a short grace). */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        shutDown();
    }

    /**
     * Stops on a thread of its own and calls back when done, so Spring's lifecycle processor waits
     * for it at most {@code spring.lifecycle.timeout-per-shutdown-phase} and stops other beans of
     * the same phase meanwhile.
     */
    @Override
    public void stop(Runnable callback) {
        if (!running) {
            callback.run();
            return;
        }
        running = false;
        Thread stopper = new Thread(() -> {
            try {
                shutDown();
            } finally {
                callback.run();
            }
        }, "critter-shutdown");
        stopper.setDaemon(true);
        stopper.start();
    }

    /**
     * The transports stop taking outside messages and drain (the local queues together, so a
     * handler on one queue can still cascade onto another); the scheduler stops last, so delayed
     * cascades and retries sent while draining are still accepted.
     */
    private void shutDown() {
        Duration timeout = settings.shutdownTimeout();
        Built current = built();
        Outbox outbox = collaborators.outbox();
        try {
            if (outbox != null) {
                outbox.stopRelay();
            }
            for (Transport transport : collaborators.transports()) {
                transport.stop(timeout, envelope -> handlerOf(current.graph(), envelope));
            }
            collaborators.scheduler().stop(timeout);
            current.replies().failAll(new IllegalStateException("Critter stopped before the reply arrived"));
        } finally {
            // Last, and even when a step above failed: publishing while draining may still have
            // wanted the coarse clock. A publish after this (from a thread of the application) may
            // start it again; closing the context ends it for good.
            collaborators.time().stopTicking();
        }
    }

    private static String handlerOf(HandlerGraph graph, Envelope envelope) {
        String chainId = envelope.headers().get(ChainRunner.CHAIN_HEADER);
        if (chainId != null) {
            return chainId;
        }
        List<String> names = new ArrayList<>();
        graph.chainsFor(envelope.message().getClass()).forEach(chain -> names.add(chain.shortName()));
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Returns the handler graph, for diagnostics.
     * @return the handler graph, for diagnostics
     */
    public HandlerGraph handlerGraph() {
        return built().graph();
    }

    /**
     * Returns the router, for diagnostics.
     * @return the router, for diagnostics
     */
    public MessageRouter router() {
        return built().router();
    }

    /** Hands envelopes to the pipeline, which is built after the endpoints that receive them. */
    private static final class ForwardingReceiver implements EnvelopeReceiver {

        private volatile @Nullable EnvelopeReceiver target;

        void deliverTo(EnvelopeReceiver pipeline) {
            this.target = pipeline;
        }

        @Override
        public void receive(Envelope envelope, Endpoint from) {
            EnvelopeReceiver pipeline = target;
            if (pipeline == null) {
                throw new IllegalStateException("Critter received " + envelope + " before it was built");
            }
            pipeline.receive(envelope, from);
        }

        @Override
        public Receipt deliver(Envelope envelope, Endpoint from) {
            EnvelopeReceiver pipeline = target;
            if (pipeline == null) {
                throw new IllegalStateException("Critter received " + envelope + " before it was built");
            }
            return pipeline.deliver(envelope, from);
        }
    }

    /**
     * Returns the error policies, for diagnostics.
     * @return the error policies, for diagnostics
     */
    public ErrorPolicies errorPolicies() {
        return built().policies();
    }
}
