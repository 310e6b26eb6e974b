package dev.critter;

import java.util.List;
import java.util.Map;

/** What Critter discovered and built at start-up, as data and readable text. */
public interface CritterDiagnostics {

    /** @return every handler chain, ordered by message type name */
    List<HandlerChainDescription> handlerChains();

    /** @return destinations by message type name, for every handled message type */
    Map<String, List<String>> routes();

    /** @return the local queues, ordered by name */
    List<LocalQueueDescription> localQueues();

    /**
     * One handler chain.
     * @param messageType the message type name
     * @param handler the handler method, e.g. {@code com.acme.OrderHandler.handle(PlaceOrder)}
     * @param parameters how each parameter is resolved, in order
     * @param cascades what the return value publishes, in words
     * @param invoker how the invoker was generated ({@code hidden-class} or {@code method-handle})
     * @param sourceText the generated invoker as readable, source-like text
     */
    record HandlerChainDescription(String messageType, String handler, List<String> parameters, String cascades,
                                   String invoker, String sourceText) {
    }

    /**
     * One local queue.
     * @param name the queue name
     * @param parallelism the maximum concurrent handlers
     * @param mode {@code parallel}, {@code sequential} or {@code partitioned}
     * @param capacity the maximum waiting messages
     * @param depth the messages waiting now
     * @param durable whether it is backed by the database
     */
    record LocalQueueDescription(String name, int parallelism, String mode, int capacity, int depth,
                                 boolean durable) {
    }
}
