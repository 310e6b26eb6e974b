package dev.critter.actuate;

import java.util.List;
import java.util.Map;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.CritterDiagnostics.LocalQueueDescription;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * Actuator endpoint {@code critter}: what Critter built at start-up (handler chains with their
 * generated invoker text, routes, error policies) and the local queues as they are now.
 */
@Endpoint(id = "critter")
public class CritterEndpoint {

    private final CritterDiagnostics diagnostics;

    /**
     * Creates the endpoint.
     * @param diagnostics where the data comes from
     */
    public CritterEndpoint(CritterDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * Describes Critter ({@code GET /actuator/critter}).
     * @return chains, routes, queues and error policies
     */
    @ReadOperation
    public CritterDescription critter() {
        return new CritterDescription(diagnostics.handlerChains(), diagnostics.routes(), diagnostics.localQueues(),
                diagnostics.errorPolicies());
    }

    /**
     * What the endpoint returns.
     * @param chains every handler chain, with its generated invoker as text
     * @param routes destinations by message type name
     * @param queues the local queues with their settings, depth and messages in flight
     * @param errorPolicies the error rules in the order they are tried
     */
    public record CritterDescription(List<HandlerChainDescription> chains, Map<String, List<String>> routes,
                                     List<LocalQueueDescription> queues, List<String> errorPolicies) {
    }
}
