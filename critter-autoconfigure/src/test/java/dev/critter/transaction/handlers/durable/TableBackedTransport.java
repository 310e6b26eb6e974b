package dev.critter.transaction.handlers.durable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/** Owns one {@link TableBackedEndpoint}, the conventional destination of one message type. */
final class TableBackedTransport implements Transport {

    static final String SCHEME = "testdurable";

    private final Class<?> messageType;
    private final JdbcTemplate jdbc;
    private @Nullable TableBackedEndpoint endpoint;

    TableBackedTransport(Class<?> messageType, JdbcTemplate jdbc) {
        this.messageType = messageType;
        this.jdbc = jdbc;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        endpoint = new TableBackedEndpoint(new Destination(SCHEME, "deposits"), jdbc, receiver);
        return List.of(endpoint);
    }

    @Override
    public Optional<Destination> conventionalDestination(Class<?> handledType) {
        return handledType == messageType ? Optional.of(new Destination(SCHEME, "deposits")) : Optional.empty();
    }

    @Override
    public void start() {
    }

    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        if (endpoint != null) {
            endpoint.stop();
        }
    }

    TableBackedEndpoint endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("Critter has not built the endpoints yet");
        }
        return endpoint;
    }
}
