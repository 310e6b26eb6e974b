package dev.critter.durability;

import java.util.UUID;

/**
 * This running application as the durable tables know it: rows it owns carry its id in
 * {@code owner_node_id}. A new id each start, so rows of a previous run of the same service are
 * recovered like those of any other dead node.
 * @param id this node's id
 * @param serviceName the service it runs ({@code critter.service-name} or {@code spring.application.name})
 */
public record DurabilityNode(UUID id, String serviceName) {

    /**
     * A node with a fresh random id.
     * @param serviceName the service it runs
     * @return the node
     */
    public static DurabilityNode start(String serviceName) {
        return new DurabilityNode(UUID.randomUUID(), serviceName);
    }
}
