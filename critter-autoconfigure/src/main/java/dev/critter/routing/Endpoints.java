package dev.critter.routing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.critter.CritterConfigurationException;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;

/** Every endpoint the application can send to, by address. */
public final class Endpoints {

    private final Map<Destination, Endpoint> byDestination = new LinkedHashMap<>();

    /**
     * Registers an endpoint under its address.
     * @param endpoint an endpoint; its destination must be new
     */
    public void register(Endpoint endpoint) {
        Endpoint previous = byDestination.putIfAbsent(endpoint.destination(), endpoint);
        if (previous != null && previous != endpoint) {
            throw new IllegalStateException("Two endpoints share the destination " + endpoint.destination());
        }
    }

    /**
     * Finds the endpoint of an address.
     * @param destination a destination such as {@code local://orders}
     * @return the endpoint, if registered
     */
    public Optional<Endpoint> find(Destination destination) {
        return Optional.ofNullable(byDestination.get(destination));
    }

    /**
     * Finds the endpoint of an address used by a rule, or fails naming the rule.
     * @param destination a destination used by a rule
     * @param usedBy what uses it, for the error message
     * @return the endpoint
     * @throws CritterConfigurationException when no transport provides that destination
     */
    public Endpoint resolve(Destination destination, String usedBy) {
        Endpoint endpoint = byDestination.get(destination);
        if (endpoint == null) {
            String address = destination.toString();
            String fix = destination.hasScheme("rabbitmq")
                    ? "Add spring-boot-starter-amqp and set critter.rabbitmq.enabled=true, or route the message to a local queue"
                    : "Declare the destination, or fix the name in the rule";
            throw new CritterConfigurationException("No endpoint for " + address + " (used by " + usedBy + ")", fix);
        }
        return endpoint;
    }

    /**
     * Returns all endpoints.
     * @return all endpoints
     */
    public Collection<Endpoint> all() {
        return byDestination.values();
    }
}
