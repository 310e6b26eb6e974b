package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.critter.CritterConfigurationException;
import dev.critter.Envelope;
import dev.critter.PublishingRule;
import dev.critter.RabbitQueueListenerConfiguration;
import dev.critter.serialization.MessageBodies;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The RabbitMQ transport (scheme {@value #SCHEME}): one endpoint per RabbitMQ destination the
 * publishing rules name, all publishing through one confirming {@link RabbitPublisher}, and one
 * {@link RabbitQueueListener} per declared listener. With auto-provisioning, start-up declares
 * the exchanges and queues they use (and each queue's dead-letter queue) and fails when the
 * broker has them with other arguments.
 */
public final class RabbitTransport implements Transport {

    /** The scheme of RabbitMQ destinations: {@code rabbitmq://queue/q}, {@code rabbitmq://exchange/e[/key]}. */
    public static final String SCHEME = "rabbitmq";

    private static final String QUEUE = "queue/";
    private static final String EXCHANGE = "exchange/";

    private final ConnectionFactory connections;
    private final RabbitSettings settings;
    private final RabbitWireFormat wire;
    private final RabbitTopology topology;
    private final RabbitPublisher publisher;
    private volatile List<RabbitQueueListener> listeners = List.of();

    /**
     * Creates the transport; endpoints and listeners are built at start-up.
     * @param connections Spring AMQP's connection factory (Boot's, from {@code spring.rabbitmq.*})
     * @param settings the transport's settings
     * @param bodies writes and reads JSON bodies through the registry of known message types
     */
    public RabbitTransport(ConnectionFactory connections, RabbitSettings settings, MessageBodies bodies) {
        this.connections = connections;
        this.settings = settings;
        this.wire = new RabbitWireFormat(bodies);
        this.topology = new RabbitTopology(connections);
        this.publisher = new RabbitPublisher(connections, settings);
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public synchronized List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        Map<Destination, RabbitEndpoint> endpoints = new LinkedHashMap<>();
        for (PublishingRule rule : configuration.options().publishingRules()) {
            Destination destination = Destination.parse(rule.destination());
            if (destination.hasScheme(SCHEME)) {
                endpoints.computeIfAbsent(destination, d -> endpointFor(d, rule.description()));
            }
        }
        List<RabbitQueueListener> created = new ArrayList<>();
        for (RabbitQueueListenerConfiguration listener : configuration.options().rabbitListeners().values()) {
            Destination destination = new Destination(SCHEME, QUEUE + listener.queue());
            RabbitEndpoint from = endpoints.computeIfAbsent(destination,
                    d -> endpointFor(d, "listenToRabbitQueue(" + listener.queue() + ")"));
            int parallelism = listener.parallelism() != null ? listener.parallelism() : settings.defaultParallelism();
            int prefetch = listener.prefetch() != null ? listener.prefetch() : Math.max(settings.defaultPrefetch(), parallelism);
            created.add(new RabbitQueueListener(listener.queue(), parallelism, prefetch, listener.defaultMessageType(),
                    connections, wire, receiver, from));
        }
        this.listeners = List.copyOf(created);
        return List.copyOf(endpoints.values());
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
        publisher.start();
        for (RabbitQueueListener listener : listeners) {
            listener.start();
        }
    }

    /** Stops the listeners first (their handlers may still publish), then publishes what is buffered. */
    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RabbitQueueListener listener : listeners) {
            listener.stop(remaining(deadline));
        }
        publisher.stop(remaining(deadline));
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
     * Returns the queues listened to, with their parallelism and prefetch, for diagnostics.
     * @return the queues listened to, with their parallelism and prefetch
     */
    public List<String> describeListeners() {
        return listeners.stream().map(l -> l.queue() + " (parallelism " + l.parallelism() + ", prefetch "
                + l.prefetch() + ")").toList();
    }
}
