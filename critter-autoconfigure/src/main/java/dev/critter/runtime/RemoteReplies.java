package dev.critter.runtime;

import java.util.List;
import java.util.Optional;

import dev.critter.handler.MessageTypes;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.Transport;

/**
 * Request/reply across processes: where this node's replies come back to (a transport's reply
 * address, e.g. its RabbitMQ reply queue), and the endpoint a reply to another node's request goes
 * to. A reply envelope names its request in the {@value #REPLY_FOR} header.
 */
final class RemoteReplies {

    /** Header of a reply envelope: the id of the request it answers. */
    static final String REPLY_FOR = "critter-reply-for";

    private final List<Transport> transports;
    private final MessageTypes types;

    RemoteReplies(List<Transport> transports, MessageTypes types) {
        this.transports = List.copyOf(transports);
        this.types = types;
    }

    /** The address replies to a request sent through this endpoint come back to, if its transport has one. */
    Optional<String> replyAddress(Endpoint route) {
        for (Transport transport : transports) {
            if (route.destination().hasScheme(transport.scheme())) {
                return transport.replyDestination().map(Destination::toString);
            }
        }
        return Optional.empty();
    }

    /** The endpoint for another node's reply address, if a transport reaches it. */
    Optional<Endpoint> replyEndpoint(String address) {
        Destination destination;
        try {
            destination = Destination.parse(address);
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
        for (Transport transport : transports) {
            if (destination.hasScheme(transport.scheme())) {
                return transport.replyEndpoint(destination);
            }
        }
        return Optional.empty();
    }

    /** Makes the response type known, so its reply reads back as exactly that type (names never load classes). */
    void expect(Class<?> responseType) {
        types.register(responseType);
    }
}
