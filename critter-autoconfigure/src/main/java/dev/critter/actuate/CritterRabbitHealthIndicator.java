package dev.critter.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.rabbitmq.RabbitTransport.ConnectionStatus;
import dev.critter.rabbitmq.RabbitTransport.ListenerStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code critterRabbitmq}: up while Critter's connection to the broker is open
 * and every listener consumes (the broker confirmed its consumer and its channel is open); down
 * otherwise, for instance while the broker restarts. Details give the connection, the publisher's
 * figures and each listener's state and counts. It reads what the transport already knows and
 * never opens a connection, so it answers at once while the broker is away.
 */
public class CritterRabbitHealthIndicator implements HealthIndicator {

    private final RabbitTransport transport;

    /**
     * Creates the indicator.
     * @param transport the RabbitMQ transport whose state it reports
     */
    public CritterRabbitHealthIndicator(RabbitTransport transport) {
        this.transport = transport;
    }

    @Override
    public Health health() {
        ConnectionStatus connection = transport.connectionStatus();
        Map<String, Object> connectionDetails = new LinkedHashMap<>();
        connectionDetails.put("open", connection.open());
        putIfPresent(connectionDetails, "lastFailure", connection.connectionFailure());
        Map<String, Object> publisher = new LinkedHashMap<>();
        publisher.put("confirmed", connection.confirmed());
        publisher.put("unconfirmed", connection.unconfirmed());
        putIfPresent(publisher, "lastFailure", connection.publishFailure());
        boolean up = connection.open();
        Map<String, Object> listeners = new LinkedHashMap<>();
        for (ListenerStatus listener : transport.listenerStatuses()) {
            up &= listener.consuming();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("consuming", listener.consuming());
            details.put("parallelism", listener.parallelism());
            details.put("prefetch", listener.prefetch());
            details.put("received", listener.figures().receivedCount());
            details.put("acked", listener.figures().ackedCount());
            details.put("deadLettered", listener.figures().deadLetteredCount());
            details.put("recoveries", listener.figures().recoveryCount());
            putIfPresent(details, "lastFailure", listener.lastFailure());
            listeners.put(listener.queue(), details);
        }
        Health.Builder health = up ? Health.up() : Health.down();
        return health.withDetail("connection", connectionDetails).withDetail("publisher", publisher)
                .withDetail("listeners", listeners).build();
    }

    private static void putIfPresent(Map<String, Object> details, String key, @Nullable Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
