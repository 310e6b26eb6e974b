package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.critter.CritterConfigurationException;
import dev.critter.Envelope;
import dev.critter.PublishingRule;
import dev.critter.RabbitQueueListenerConfiguration;
import dev.critter.handler.MessageTypes;
import dev.critter.serialization.MessageBodies;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Inbox;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The RabbitMQ transport (scheme {@value #SCHEME}): one endpoint per RabbitMQ destination the
 * publishing rules name, all publishing through one confirming {@link RabbitPublisher}, and one
 * {@link RabbitQueueListener} per declared listener. With auto-provisioning, start-up declares
 * the exchanges and queues they use (and each queue's dead-letter queue) and fails when the
 * broker has them with other arguments. Publisher and listeners survive broker restarts and
 * dropped connections on their own (see {@link RabbitRecovery}).
 */
public final class RabbitTransport implements Transport {

    /** The scheme of RabbitMQ destinations: {@code rabbitmq://queue/q}, {@code rabbitmq://exchange/e[/key]}. */
    public static final String SCHEME = "rabbitmq";

    private static final Log logger = LogFactory.getLog(RabbitTransport.class);

    private static final String QUEUE = "queue/";

    /** Each node's reply queue is named {@code critter.replies.<random UUID>}. */
    static final String REPLY_QUEUE_PREFIX = "critter.replies.";

    private static final int REPLY_PARALLELISM = 2;
    private static final String EXCHANGE = "exchange/";

    private final ConnectionFactory connections;
    private final RabbitSettings settings;
    private final RabbitWireFormat wire;
    private final RabbitTopology topology;
    private final RabbitPublisher publisher;
    private final RabbitRecovery recovery;
    private final RabbitConnectionState connection = new RabbitConnectionState();
    private final @Nullable Inbox inbox;
    private volatile List<RabbitQueueListener> listeners = List.of();
    private volatile Map<String, RabbitQueueListener> listenersByAddress = Map.of();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<String, RabbitEndpoint> conventionalExchanges = new ConcurrentHashMap<>();
    private final Map<String, RabbitEndpoint> replyEndpoints = new ConcurrentHashMap<>();
    private final String replyQueue = REPLY_QUEUE_PREFIX + UUID.randomUUID();
    private volatile boolean conventional;
    private volatile boolean repliesHere;

    /**
     * Creates the transport; endpoints and listeners are built at start-up.
     * @param connections Spring AMQP's connection factory (Boot's, from {@code spring.rabbitmq.*})
     * @param settings the transport's settings
     * @param bodies writes and reads JSON bodies through the registry of known message types
     */
    public RabbitTransport(ConnectionFactory connections, RabbitSettings settings, MessageBodies bodies) {
        this(connections, settings, bodies, null);
    }

    /**
     * Creates the transport with the inbox durable listeners store their deliveries in.
     * @param connections Spring AMQP's connection factory (Boot's, from {@code spring.rabbitmq.*})
     * @param settings the transport's settings
     * @param bodies writes and reads JSON bodies through the registry of known message types
     * @param inbox the inbox, or null without durability (a durable listener then fails start-up)
     */
    public RabbitTransport(ConnectionFactory connections, RabbitSettings settings, MessageBodies bodies,
                           @Nullable Inbox inbox) {
        this.inbox = inbox;
        this.connections = connections;
        this.settings = settings;
        this.wire = new RabbitWireFormat(bodies);
        this.topology = new RabbitTopology(connections);
        this.publisher = new RabbitPublisher(connections, settings);
        this.recovery = new RabbitRecovery(settings.recoveryInterval());
        connections.addConnectionListener(connection);
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public synchronized List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        // Checked before anything is declared on the broker.
        for (RabbitQueueListenerConfiguration listener : configuration.options().rabbitListeners().values()) {
            if (listener.isDurable() && inbox == null) {
                throw new CritterConfigurationException("RabbitMQ listener '" + listener.queue() + "' is durable, which "
                        + "needs PostgreSQL durability (the inbox), but durability is off",
                        "Give the application a PostgreSQL DataSource (spring-boot-starter-jdbc and the driver) and leave "
                                + "critter.durability.enabled on, or remove durable from critter.rabbitmq.listeners[*] "
                                + "(queue " + listener.queue() + ") or listenToRabbitQueue(\"" + listener.queue()
                                + "\").durable()");
            }
        }
        Map<Destination, RabbitEndpoint> endpoints = new LinkedHashMap<>();
        for (PublishingRule rule : configuration.options().publishingRules()) {
            Destination destination = Destination.parse(rule.destination());
            if (destination.hasScheme(SCHEME)) {
                endpoints.computeIfAbsent(destination, d -> endpointFor(d, rule.description()));
            }
        }
        Map<String, RabbitQueueListenerConfiguration> listening = new LinkedHashMap<>(configuration.options().rabbitListeners());
        this.conventional = settings.conventionalRouting() || configuration.options().conventionalRabbitRouting();
        if (conventional) {
            for (Class<?> handled : configuration.handledTypes()) {
                if (configuration.options().publishingRules().stream().anyMatch(rule -> rule.matches().test(handled))) {
                    continue;
                }
                String name = MessageTypes.nameOf(handled);
                RabbitEndpoint exchange = conventionalExchange(name);
                endpoints.putIfAbsent(exchange.destination(), exchange);
                if (settings.autoProvision()) {
                    topology.declareQueue(name);
                    topology.bind(name, name, "");
                }
                // A listener declared for the conventional queue keeps its own settings.
                listening.computeIfAbsent(name, RabbitQueueListenerConfiguration::conventional);
            }
        }
        boolean routesHere = conventional || !endpoints.isEmpty();
        RabbitBroker broker = new RabbitBroker(connections, wire, recovery, topology,
                settings.autoProvision() ? topology : null);
        List<RabbitQueueListener> created = new ArrayList<>();
        Map<String, RabbitQueueListener> byAddress = new LinkedHashMap<>();
        for (RabbitQueueListenerConfiguration listener : listening.values()) {
            Destination destination = new Destination(SCHEME, QUEUE + listener.queue());
            RabbitEndpoint from = endpoints.computeIfAbsent(destination,
                    d -> endpointFor(d, "listenToRabbitQueue(" + listener.queue() + ")"));
            int parallelism = listener.parallelism() != null ? listener.parallelism() : settings.defaultParallelism();
            int prefetch = listener.prefetch() != null ? listener.prefetch() : Math.max(settings.defaultPrefetch(), parallelism);
            RabbitQueueListener made = new RabbitQueueListener(new RabbitListenerSettings(listener.queue(), parallelism,
                    prefetch, listener.defaultMessageType(), false, listener.isDurable()), broker, receiver, from, inbox);
            created.add(made);
            byAddress.put(from.address(), made);
        }
        // This node's reply queue, when requests can leave through RabbitMQ at all (a rule or the
        // convention routes there): replies to them come back here, whichever process answers.
        this.repliesHere = routesHere;
        if (routesHere) {
            topology.declareReplyQueue(replyQueue);
            RabbitEndpoint replies = RabbitEndpoint.toQueue(replyQueue, wire, publisher);
            endpoints.put(replies.destination(), replies);
            created.add(new RabbitQueueListener(new RabbitListenerSettings(replyQueue, REPLY_PARALLELISM,
                    settings.defaultPrefetch(), null, true, false), broker, receiver, replies));
        }
        this.listeners = List.copyOf(created);
        this.listenersByAddress = Map.copyOf(byAddress);
        for (MeterRegistry registry : registries) {
            created.forEach(listener -> RabbitListenerMeters.register(listener, registry));
        }
        return List.copyOf(endpoints.values());
    }

    /**
     * With conventional routing, every message type no rule matches goes to the fanout exchange
     * named after its message type name (declared on first use with auto-provisioning); queues of
     * the handlers of that type, here or in other applications, are bound to it.
     */
    @Override
    public Optional<Destination> replyDestination() {
        return repliesHere ? Optional.of(new Destination(SCHEME, QUEUE + replyQueue)) : Optional.empty();
    }

    /** Replies go through the default exchange straight to the caller's reply queue (declared by its node). */
    @Override
    public Optional<Endpoint> replyEndpoint(Destination replyTo) {
        String name = replyTo.name();
        if (!replyTo.hasScheme(SCHEME) || !name.startsWith(QUEUE + REPLY_QUEUE_PREFIX)) {
            return Optional.empty();
        }
        String queue = name.substring(QUEUE.length());
        return Optional.of(replyEndpoints.computeIfAbsent(queue, q -> RabbitEndpoint.toQueue(q, wire, publisher)));
    }

    @Override
    public Optional<Endpoint> conventionalRoute(Class<?> messageType) {
        if (!conventional) {
            return Optional.empty();
        }
        return Optional.of(conventionalExchange(MessageTypes.nameOf(messageType)));
    }

    private RabbitEndpoint conventionalExchange(String typeName) {
        return conventionalExchanges.computeIfAbsent(typeName, name -> {
            if (settings.autoProvision()) {
                topology.declareFanoutExchange(name);
            }
            return RabbitEndpoint.toExchange(name, "", wire, publisher);
        });
    }

    private RabbitEndpoint endpointFor(Destination destination, String usedBy) {
        String name = destination.name();
        if (name.startsWith(QUEUE) && name.length() > QUEUE.length()) {
            String queue = name.substring(QUEUE.length());
            if (settings.autoProvision()) {
                topology.declareQueue(queue);
            }
            return RabbitEndpoint.toQueue(queue, wire, publisher);
        }
        if (name.startsWith(EXCHANGE) && name.length() > EXCHANGE.length()) {
            String rest = name.substring(EXCHANGE.length());
            int slash = rest.indexOf('/');
            String exchange = slash < 0 ? rest : rest.substring(0, slash);
            String routingKey = slash < 0 ? "" : rest.substring(slash + 1);
            if (settings.autoProvision()) {
                topology.declareExchange(exchange);
            }
            return RabbitEndpoint.toExchange(exchange, routingKey, wire, publisher);
        }
        throw new CritterConfigurationException("Not a RabbitMQ destination: " + destination + " (used by " + usedBy + ")",
                "Use rabbitmq://queue/<queue> or rabbitmq://exchange/<exchange>[/<routing-key>]");
    }

    @Override
    public void start() {
        try {
            // Opened now, so health tells from the start whether the broker answers.
            connections.createConnection();
        } catch (RuntimeException ex) {
            logger.warn("RabbitMQ does not answer at start-up (" + ex.getMessage() + "); the publisher keeps "
                    + "messages and tries again");
        }
        publisher.start();
        for (RabbitQueueListener listener : listeners) {
            listener.start();
        }
        // Signals can be missed (a channel closed between two checks): the watchdog catches any listener not consuming.
        recovery.every(() -> listeners.forEach(RabbitQueueListener::verify));
    }

    /** Stops the listeners first (their handlers may still publish), then publishes what is buffered. */
    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RabbitQueueListener listener : listeners) {
            listener.stop(remaining(deadline));
        }
        publisher.stop(remaining(deadline));
        recovery.stop();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Returns how many messages the broker has confirmed since start.
     * @return how many messages the broker has confirmed since start
     */
    public long confirmedCount() {
        return publisher.confirmed();
    }

    /**
     * Returns how many messages wait for the broker's confirm (buffered or published).
     * @return how many messages wait for the broker's confirm (buffered or published)
     */
    public int unconfirmedCount() {
        return publisher.pending();
    }

    /**
     * Registers each listener's counters ({@code critter.rabbitmq.listener.*}, tag {@code queue}) on a
     * registry: now for the listeners built already, and for those built later when they are.
     * @param registry the registry
     */
    public synchronized void bindMetrics(MeterRegistry registry) {
        registries.add(registry);
        listeners.forEach(listener -> RabbitListenerMeters.register(listener, registry));
    }

    /**
     * Counts a message delivered by one of this transport's listeners whose handlers exhausted their
     * error policy (the runtime's dead letters), on that listener's figures.
     * @param address the address the message was handled from, e.g. {@code rabbitmq://queue/orders}
     */
    public void countDeadLettered(String address) {
        RabbitQueueListener listener = listenersByAddress.get(address);
        if (listener != null) {
            listener.handlerDeadLettered();
        }
    }

    /**
     * Returns each listener's state and figures, for health, metrics and diagnostics.
     * @return one status per listener, in declaration order
     */
    public List<ListenerStatus> listenerStatuses() {
        return listeners.stream().map(l -> new ListenerStatus(l.queue(), l.consuming(), l.parallelism(), l.prefetch(),
                l.figures(), l.lastFailure())).toList();
    }

    /**
     * Returns the broker connection's state as Critter last saw it, and the publisher's last failure.
     * @return the connection's state
     */
    public ConnectionStatus connectionStatus() {
        return new ConnectionStatus(connection.open(), connection.lastFailure(), publisher.lastFailure(),
                publisher.confirmed(), publisher.pending());
    }

    /**
     * One listener as health and metrics show it.
     * @param queue the queue consumed
     * @param consuming whether the broker confirmed its consumer and its channel is open
     * @param parallelism handlers run at once
     * @param prefetch deliveries the broker sends ahead
     * @param figures what it counted since start
     * @param lastFailure why it last failed to consume, or null
     */
    public record ListenerStatus(String queue, boolean consuming, int parallelism, int prefetch,
                                 RabbitListenerFigures figures, @Nullable String lastFailure) {
    }

    /**
     * The broker connection as health shows it.
     * @param open whether Critter's connection to the broker is open
     * @param connectionFailure why the connection last failed or closed, or null
     * @param publishFailure why the publisher last failed to publish, or null once a message was confirmed since
     * @param confirmed messages the broker confirmed since start
     * @param unconfirmed messages waiting for the broker's confirm
     */
    public record ConnectionStatus(boolean open, @Nullable String connectionFailure, @Nullable String publishFailure,
                                   long confirmed, int unconfirmed) {
    }

    /**
     * Returns the queues listened to, with their parallelism and prefetch, for diagnostics.
     * @return the queues listened to, with their parallelism and prefetch
     */
    public List<String> describeListeners() {
        return listeners.stream().map(l -> l.queue() + " (parallelism " + l.parallelism() + ", prefetch "
                + l.prefetch() + (l.durable() ? ", durable" : "") + ")").toList();
    }
}
