package dev.critter.routing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.critter.CritterConfigurationException;
import dev.critter.transport.Endpoint;

/** Every endpoint the application can send to, by address. */
public final class Endpoints {

    private final Map<String, Endpoint> byAddress = new LinkedHashMap<>();

    /**
     * Registers an endpoint under its address.
     * @param endpoint an endpoint; its address must be new
     */
    public void register(Endpoint endpoint) {
        Endpoint previous = byAddress.putIfAbsent(endpoint.address(), endpoint);
        if (previous != null && previous != endpoint) {
            throw new IllegalStateException("Two endpoints share the address " + endpoint.address());
        }
    }

    /**
     * Finds the endpoint of an address.
     * @param address an address such as {@code local://orders}
     * @return the endpoint, if registered
     */
    public Optional<Endpoint> find(String address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /**
     * Finds the endpoint of an address used by a rule, or fails naming the rule.
     * @param address an address used by a rule
     * @param usedBy what uses it, for the error message
     * @return the endpoint
     * @throws CritterConfigurationException when no transport provides that address
     */
    public Endpoint resolve(String address, String usedBy) {
        Endpoint endpoint = byAddress.get(address);
        if (endpoint == null) {
            String fix = address.startsWith("rabbitmq://")
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
        return byAddress.values();
    }
}
