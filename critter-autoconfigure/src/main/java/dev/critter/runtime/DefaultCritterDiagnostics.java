package dev.critter.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.critter.CritterDiagnostics;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.MessageTypes;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalQueueSettings;
import dev.critter.transport.Endpoint;

/** Reads what the runtime built: chains with their invoker text, routes and queues. */
public final class DefaultCritterDiagnostics implements CritterDiagnostics {

    private final CritterRuntime runtime;

    /**
     * Creates the diagnostics of a runtime.
     * @param runtime the runtime to describe
     */
    public DefaultCritterDiagnostics(CritterRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<HandlerChainDescription> handlerChains() {
        List<HandlerChainDescription> chains = new ArrayList<>();
        for (HandlerChain chain : runtime.handlerGraph().chains()) {
            chains.add(new HandlerChainDescription(chain.messageTypeName(),
                    chain.handlerClass().getName() + "." + chain.method().getName()
                            + chain.shortName().substring(chain.shortName().indexOf('(')),
                    chain.parameterDescriptions(), chain.cascadeDescription(), chain.invoker().kind(),
                    chain.sourceText()));
        }
        return chains;
    }

    @Override
    public Map<String, List<String>> routes() {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        runtime.handlerGraph().handledTypes().stream()
                .sorted(Comparator.comparing(MessageTypes::nameOf))
                .forEach(type -> routes.put(MessageTypes.nameOf(type),
                        runtime.router().routesFor(type).stream().map(Endpoint::address).toList()));
        return routes;
    }

    @Override
    public List<LocalQueueDescription> localQueues() {
        List<LocalQueueDescription> queues = new ArrayList<>();
        for (LocalQueue queue : runtime.localQueues()) {
            LocalQueueSettings s = queue.settings();
            queues.add(new LocalQueueDescription(s.name(), s.parallelism(), s.mode().name().toLowerCase(Locale.ROOT),
                    s.capacity(), queue.depth(), queue.inFlight(), queue.isRunning(), false));
        }
        queues.sort(Comparator.comparing(LocalQueueDescription::name));
        return queues;
    }

    @Override
    public List<String> errorPolicies() {
        return runtime.errorPolicies().describe();
    }
}
