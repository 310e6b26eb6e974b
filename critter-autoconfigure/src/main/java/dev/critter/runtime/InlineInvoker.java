package dev.critter.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.HandlerGraph;
import dev.critter.transport.Endpoint;

import org.jspecify.annotations.Nullable;

/**
 * {@code invoke} and {@code invokeAsync}: runs a message's handlers on the caller's thread, or
 * sends it to a worker as a request whose reply completes a future.
 */
final class InlineInvoker {

    private final HandlerGraph graph;
    private final ChainRunner runner;
    private final Dispatcher dispatcher;
    private final EnvelopeFactory envelopes;
    private final Observers observers;
    private final PendingReplies replies;
    private final ContextServices services;

    InlineInvoker(HandlerGraph graph, ChainRunner runner, Dispatcher dispatcher, EnvelopeFactory envelopes,
                  Observers observers, PendingReplies replies) {
        this.graph = graph;
        this.runner = runner;
        this.dispatcher = dispatcher;
        this.envelopes = envelopes;
        this.observers = observers;
        this.replies = replies;
        this.services = new ContextServices(envelopes, dispatcher, this);
    }

    /**
     * Returns what handler contexts publish and invoke through.
     * @return what handler contexts publish and invoke through
     */
    ContextServices services() {
        return services;
    }

    /** Runs a message's handlers on the calling thread; returns the response, if one was asked for. */
    @Nullable Object invoke(Object message, DeliveryOptions options, @Nullable DefaultMessageContext parent,
                            @Nullable Class<?> responseType) {
        List<HandlerChain> chains = graph.chainsFor(message.getClass());
        Envelope envelope = envelopes.createInline(message, options, parent != null ? parent.envelope() : null);
        observers.invoked(envelope);
        if (chains.isEmpty()) {
            observers.noHandler(envelope, ChainRunner.INLINE);
            throw graph.noHandler(message.getClass());
        }
        ExpectedReply expected = responseType == null ? null : ExpectedReply.waitingFor(responseType);
        Object response = null;
        for (HandlerChain chain : chains) {
            ChainRunner.Outcome outcome = runner.runInline(envelope, chain, parent, expected, services);
            if (outcome.failure() != null) {
                throw ChainRunner.rethrowable(outcome.failure(), chain);
            }
            if (outcome.response() != null && response == null) {
                if (responseType != null && !responseType.isInstance(outcome.response())) {
                    throw PendingReplies.wrongType(outcome.response(), responseType, chain);
                }
                response = outcome.response();
            }
        }
        return response;
    }

    /**
     * Sends a message to a worker of its queue and completes when all its handlers finished.
     * @param fromWorker whether a handler on a queue worker asks (never blocks); a handler run
     *                   by an outside {@code invoke} waits for room like its caller
     */
    <T> CompletableFuture<T> invokeAsync(Object message, DeliveryOptions options, @Nullable Envelope parent,
                                        @Nullable Class<T> responseType, boolean fromWorker) {
        Envelope.Builder builder = envelopes.create(message, options, parent).toBuilder()
                .replyTo(PendingReplies.REPLY_TO);
        if (responseType != null) {
            builder.header(PendingReplies.RESPONSE_TYPE_HEADER, responseType.getName());
        }
        Envelope request = builder.build();
        List<HandlerChain> chains = graph.chainsFor(message.getClass());
        List<Endpoint> routes = dispatcher.routesFor(message.getClass());
        if (routes.isEmpty() || chains.isEmpty()) {
            observers.invoked(request);
            observers.noHandler(request, "invokeAsync");
            return CompletableFuture.failedFuture(graph.noHandler(message.getClass()));
        }
        CompletableFuture<T> reply = replies.register(request.id(), request.messageType(), responseType, chains);
        observers.published(request);
        try {
            dispatcher.send(request, routes.get(0), fromWorker);
        } catch (RuntimeException ex) {
            replies.fail(request.id(), ex);
        }
        return reply;
    }
}
