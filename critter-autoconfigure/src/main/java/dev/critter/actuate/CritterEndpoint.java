package dev.critter.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.CritterDiagnostics.LocalQueueDescription;
import dev.critter.durability.Backlog;
import dev.critter.durability.jdbc.JdbcNodes.NodeDescription;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * Actuator endpoint {@code critter}: what Critter built at start-up (handler chains with their
 * generated invoker text, routes, error policies), the local queues as they are now and, with
 * durability, the live nodes and the backlog figures.
 */
@Endpoint(id = "critter")
public class CritterEndpoint {

    private final CritterDiagnostics diagnostics;
    private final @Nullable Supplier<DurabilityDescription> durability;

    /**
     * Creates the endpoint without durability.
     * @param diagnostics where the data comes from
     */
    public CritterEndpoint(CritterDiagnostics diagnostics) {
        this(diagnostics, null);
    }

    /**
     * Creates the endpoint.
     * @param diagnostics where the data comes from
     * @param durability describes the nodes and the backlog, or null without durability
     */
    public CritterEndpoint(CritterDiagnostics diagnostics, @Nullable Supplier<DurabilityDescription> durability) {
        this.diagnostics = diagnostics;
        this.durability = durability;
    }

    /**
     * Describes Critter ({@code GET /actuator/critter}).
     * @return chains, routes, queues, error policies and, with durability, nodes and backlog
     */
    @ReadOperation
    public CritterDescription critter() {
        return new CritterDescription(diagnostics.handlerChains(), diagnostics.routes(), diagnostics.localQueues(),
                diagnostics.errorPolicies(), durability == null ? null : durability.get());
    }

    /**
     * What the endpoint returns.
     * @param chains every handler chain, with its generated invoker as text
     * @param routes destinations by message type name
     * @param queues the local queues with their settings, depth and messages in flight
     * @param errorPolicies the error rules in the order they are tried
     * @param durability the live nodes and the backlog figures, or null without durability
     */
    public record CritterDescription(List<HandlerChainDescription> chains, Map<String, List<String>> routes,
                                     List<LocalQueueDescription> queues, List<String> errorPolicies,
                                     @Nullable DurabilityDescription durability) {
    }

    /**
     * Durability as it is now.
     * @param liveNodes the nodes heart-beating within the lease, oldest first (read from the database)
     * @param backlog the last backlog figures measured, or null before the first measurement
     */
    public record DurabilityDescription(List<NodeDescription> liveNodes, @Nullable Backlog backlog) {
    }
}
