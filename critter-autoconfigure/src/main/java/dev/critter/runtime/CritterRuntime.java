package dev.critter.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.critter.CritterOptions;
import dev.critter.Envelope;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.error.ErrorPolicies;
import dev.critter.handler.HandlerGraph;
import dev.critter.handler.HandlerGraphBuilder;
import dev.critter.handler.HandlerScanner;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalQueues;
import dev.critter.local.LocalQueueSettings;
import dev.critter.routing.Endpoints;
import dev.critter.routing.MessageRouter;
import dev.critter.scheduling.MessageScheduler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Builds Critter once every singleton exists (so handlers and configurers may depend on the bus
 * without a cycle), starts the queues and the scheduler with the context, and drains them on
 * shutdown.
 */
public final class CritterRuntime implements SmartInitializingSingleton, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(CritterRuntime.class);

    /** Starts before the web server accepts requests, stops after it stopped taking them. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final RuntimeSettings settings;
    private final Supplier<CritterOptions> options;
    private final AutowireCapableBeanFactory beanFactory;
    private final ClassLoader classLoader;
    private final DeadLetterStore deadLetters;
    private final MessageScheduler scheduler;
    private final Supplier<List<MessageObserver>> observers;
    private final Clock clock;
    private volatile Messaging messaging;
    private volatile LocalQueues queues = new LocalQueues(List.of());
    private volatile boolean running;

    /**
     * @param settings resolved settings
     * @param options the Java/property configuration, built when Critter starts
     * @param collaborators the stores and observers Critter works with
     */
    public CritterRuntime(RuntimeSettings settings, Supplier<CritterOptions> options, Collaborators collaborators) {
        this.settings = settings;
        this.options = options;
        this.beanFactory = collaborators.beanFactory();
        this.classLoader = collaborators.classLoader();
        this.deadLetters = collaborators.deadLetters();
        this.scheduler = collaborators.scheduler();
        this.observers = collaborators.observers();
        this.clock = collaborators.clock();
    }

    /**
     * What the runtime works with, supplied by the auto-configuration.
     * @param beanFactory resolves handler instances and parameters
     * @param classLoader loads handler classes
     * @param deadLetters where failed messages go
     * @param scheduler holds delayed messages
     * @param observers metrics, tracking and other observers, resolved at start-up
     * @param clock the time source
     */
    public record Collaborators(AutowireCapableBeanFactory beanFactory, ClassLoader classLoader,
                                DeadLetterStore deadLetters, MessageScheduler scheduler,
                                Supplier<List<MessageObserver>> observers, Clock clock) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        build();
    }

    /** Discovers handlers, generates invokers, plans queues and routes; fails on bad configuration. */
    synchronized void build() {
        if (messaging != null) {
            return;
        }
        // Boot's shared metadata reader factory caches what its component scan read: handler
        // classes in scanned packages are then not parsed a second time.
        MetadataReaderFactory metadataReaders = beanFactory.getBeanProvider(MetadataReaderFactory.class).getIfUnique();
        HandlerScanner scanner = new HandlerScanner(classLoader, metadataReaders);
        List<Class<?>> handlerClasses = scanner.scan(settings.basePackages());
        HandlerGraph graph = new HandlerGraphBuilder(beanFactory).build(handlerClasses, scanner.nearMisses());
        CritterOptions configured = options.get();
        LocalQueuePlanner.Plan plan = LocalQueuePlanner.plan(graph, configured, settings);
        HandlerPipeline[] pipeline = new HandlerPipeline[1];
        Endpoints endpoints = new Endpoints();
        Map<String, LocalQueue> byName = new LinkedHashMap<>();
        for (LocalQueueSettings queueSettings : plan.queues().values()) {
            LocalQueue queue = new LocalQueue(queueSettings, (envelope, from) -> pipeline[0].receive(envelope, from),
                    settings.localWorkers());
            byName.put(queueSettings.name(), queue);
            endpoints.register(queue);
        }
        MessageRouter router = new MessageRouter(configured.publishingRules(), endpoints, type ->
                graph.mostSpecificHandledType(type).map(plan.conventional()::get).map(byName::get).orElse(null));
        ErrorPolicies policies = new ErrorPolicies(configured.exceptionPolicies(), configured.messagePolicies(),
                ErrorPolicies.defaultPolicy(settings.defaultRetryCooldowns()));
        Messaging built = new Messaging(settings, graph, router, endpoints,
                new EnvelopeFactory(clock, settings.serviceName()), new Observers(observers.get()), scheduler,
                policies, deadLetters);
        pipeline[0] = new HandlerPipeline(built);
        deadLetters.replayWith(pipeline[0]::replay);
        this.queues = new LocalQueues(byName.values());
        this.messaging = built;
        logger.info("Critter found " + graph.chains().size() + " handler(s) for " + graph.handledTypes().size()
                + " message type(s) in " + settings.basePackages() + "; local queues: " + byName.keySet());
    }

    /** @return the built messaging core */
    Messaging messaging() {
        Messaging built = messaging;
        if (built == null) {
            throw new IllegalStateException("Critter is not started yet: publish once the application context "
                    + "has refreshed (from an ApplicationRunner, a request or an event listener), not while beans are created");
        }
        return built;
    }

    @Override
    public void start() {
        Messaging built = messaging();
        scheduler.start(built::dispatchDue);
        Map<String, IntSupplier> depths = new LinkedHashMap<>();
        queues.start();
        for (LocalQueue queue : queues.queues()) {
            depths.put(queue.settings().name(), queue::depth);
        }
        built.observers.started(new RuntimeFigures(depths, scheduler::pending, deadLetters::count));
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
     * The queues stop taking outside messages and drain together, so a handler on one queue can
     * still cascade onto another; the scheduler stops last, so delayed cascades and retries sent
     * while draining are still accepted.
     */
    private void shutDown() {
        Duration timeout = settings.shutdownTimeout();
        Messaging built = messaging();
        queues.stop(timeout, envelope -> handlerOf(built, envelope));
        scheduler.stop(timeout);
        built.replies.failAll(new IllegalStateException("Critter stopped before the reply arrived"));
    }

    private static String handlerOf(Messaging built, Envelope envelope) {
        String chainId = envelope.headers().get(ChainRunner.CHAIN_HEADER);
        if (chainId != null) {
            return chainId;
        }
        List<String> names = new ArrayList<>();
        built.graph.chainsFor(envelope.message().getClass()).forEach(chain -> names.add(chain.shortName()));
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

    /** @return the local queues, for diagnostics */
    public List<LocalQueue> localQueues() {
        return queues.queues();
    }

    /** @return the handler graph, for diagnostics */
    public HandlerGraph handlerGraph() {
        return messaging().graph;
    }

    /** @return the router, for diagnostics */
    public MessageRouter router() {
        return messaging().router;
    }
}
