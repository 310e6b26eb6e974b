package dev.critter.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.critter.CritterDiagnostics;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.MessageTypes;
import dev.critter.transport.Endpoint;

/** Reads what the runtime built: chains with their invoker text, routes and queues. */
public final class DefaultCritterDiagnostics implements CritterDiagnostics {

    private final CritterRuntime runtime;
    private final Supplier<List<LocalQueueDescription>> localQueues;

    /**
     * @param runtime the runtime to describe
     * @param localQueues describes the local queues (the local transport knows them, the runtime does not)
     */
    public DefaultCritterDiagnostics(CritterRuntime runtime, Supplier<List<LocalQueueDescription>> localQueues) {
        this.runtime = runtime;
        this.localQueues = localQueues;
    }

    @Override
    public List<HandlerChainDescription> handlerChains() {
        List<HandlerChainDescription> chains = new ArrayList<>();
        for (HandlerChain chain : runtime.handlerGraph().chains()) {
            chains.add(new HandlerChainDescription(chain.messageTypeName(),
                    chain.handlerClass().getName() + "." + chain.method().getName()
                            + chain.shortName().substring(chain.shortName().indexOf('(')),
                    chain.parameterDescriptions(), chain.cascadeDescription(), chain.invoker().kind(),
                    chain.sourceText(), chain.transactionDescription()));
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
        return localQueues.get();
    }

    @Override
    public List<String> errorPolicies() {
        return runtime.errorPolicies().describe();
    }
}
