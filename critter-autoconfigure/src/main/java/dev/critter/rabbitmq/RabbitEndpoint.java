package dev.critter.rabbitmq;

import java.util.concurrent.CompletableFuture;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;

/**
 * A RabbitMQ destination messages are published to: {@code rabbitmq://queue/q} (the default
 * exchange, routing key = the queue), {@code rabbitmq://exchange/e} (routing key = the message
 * type name) or {@code rabbitmq://exchange/e/key}. The body is written on the sender's thread, so a
 * message that cannot be written fails its publish at once.
 */
final class RabbitEndpoint implements Endpoint {

    private final Destination destination;
    private final String exchange;
    private final String routingKey;
    private final boolean routingKeyIsType;
    private final RabbitWireFormat wire;
    private final RabbitPublisher publisher;

    private RabbitEndpoint(Destination destination, String exchange, String routingKey, boolean routingKeyIsType,
                           RabbitWireFormat wire, RabbitPublisher publisher) {
        this.destination = destination;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.routingKeyIsType = routingKeyIsType;
        this.wire = wire;
        this.publisher = publisher;
    }

    static RabbitEndpoint toQueue(String queue, RabbitWireFormat wire, RabbitPublisher publisher) {
        return new RabbitEndpoint(new Destination(RabbitTransport.SCHEME, "queue/" + queue), "", queue, false, wire,
                publisher);
    }

    static RabbitEndpoint toExchange(String exchange, String routingKey, RabbitWireFormat wire, RabbitPublisher publisher) {
        String name = "exchange/" + exchange + (routingKey.isEmpty() ? "" : "/" + routingKey);
        return new RabbitEndpoint(new Destination(RabbitTransport.SCHEME, name), exchange, routingKey,
                routingKey.isEmpty(), wire, publisher);
    }

    /** Returns the exchange published to; empty for the default exchange. */
    String exchange() {
        return exchange;
    }

    @Override
    public Destination destination() {
        return destination;
    }

    @Override
    public void send(Envelope envelope, boolean fromHandler) {
        String key = routingKeyIsType ? envelope.messageType() : routingKey;
        publisher.publish(new RabbitPublisher.Pending(exchange, key, wire.write(envelope), null));
    }

    /** Completes once the broker confirmed the message (publisher confirms), not when it is buffered. */
    @Override
    public CompletableFuture<Void> sendConfirmed(Envelope envelope, boolean fromHandler) {
        String key = routingKeyIsType ? envelope.messageType() : routingKey;
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        publisher.publish(new RabbitPublisher.Pending(exchange, key, wire.write(envelope), confirmed));
        return confirmed;
    }
}
