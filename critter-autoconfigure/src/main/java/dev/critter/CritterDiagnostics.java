package dev.critter;

import java.util.List;
import java.util.Map;

/** What Critter discovered and built at start-up, as data and readable text. */
public interface CritterDiagnostics {

    /**
     * Lists the handler chains.
     * @return every handler chain, ordered by message type name
     */
    List<HandlerChainDescription> handlerChains();

    /**
     * Lists where each handled message type goes.
     * @return destinations by message type name, for every handled message type
     */
    Map<String, List<String>> routes();

    /**
     * Lists the local queues.
     * @return the local queues, ordered by name
     */
    List<LocalQueueDescription> localQueues();

    /**
     * Describes the error policies in the order they are tried.
     * @return one line per rule: message-type rules, then global ones, then the default policy
     */
    default List<String> errorPolicies() {
        return List.of();
    }

    /**
     * One handler chain.
     * @param messageType the message type name
     * @param handler the handler method, e.g. {@code com.acme.OrderHandler.handle(PlaceOrder)}
     * @param parameters how each parameter is resolved, in order
     * @param cascades what the return value publishes, in words
     * @param invoker how the invoker was generated ({@code hidden-class} or {@code method-handle})
     * @param sourceText the generated invoker as readable, source-like text
     * @param transaction the transaction each attempt runs in (propagation, isolation, transaction
     *                    manager and why), or {@code none}
     */
    record HandlerChainDescription(String messageType, String handler, List<String> parameters, String cascades,
                                   String invoker, String sourceText, String transaction) {
    }

    /**
     * One local queue.
     * @param name the queue name
     * @param parallelism the maximum concurrent handlers
     * @param mode {@code parallel}, {@code sequential} or {@code partitioned}
     * @param capacity the maximum waiting messages
     * @param depth the messages waiting now
     * @param inFlight the messages being handled now
     * @param running whether the queue takes and handles messages (false before start and once stopping)
     * @param durable whether it is backed by the database
     */
    record LocalQueueDescription(String name, int parallelism, String mode, int capacity, int depth, int inFlight,
                                 boolean running, boolean durable) {
    }
}
