package dev.critter.transaction.handlers.failures;

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

/** The conventional destination of one message type, whose one endpoint refuses every envelope (a broker that is down). */
final class RefusingTransport implements Transport {

    private final Class<?> messageType;
    private final Destination destination = new Destination("testrefusing", "down");

    RefusingTransport(Class<?> messageType) {
        this.messageType = messageType;
    }

    @Override
    public String scheme() {
        return destination.scheme();
    }

    @Override
    public List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
        return List.of(new Endpoint() {
            @Override
            public Destination destination() {
                return destination;
            }

            @Override
            public void send(Envelope envelope, boolean fromHandler) {
                throw new IllegalStateException("the broker behind " + destination + " is down");
            }
        });
    }

    @Override
    public Optional<Destination> conventionalDestination(Class<?> handledType) {
        return handledType == messageType ? Optional.of(destination) : Optional.empty();
    }

    @Override
    public void start() {
    }

    @Override
    public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
    }
}
