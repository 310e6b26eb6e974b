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

    /**
     * Runs a message's handlers on the calling thread; returns the response, if one was asked for.
     * A message handled only in another process (no handler here, a route to a transport that
     * carries replies) is sent there as a request, and the caller waits for its reply.
     */
    @Nullable Object invoke(Object message, DeliveryOptions options, @Nullable DefaultMessageContext parent,
                            @Nullable Class<?> responseType) {
        List<HandlerChain> chains = graph.chainsFor(message.getClass());
        if (chains.isEmpty() && responseType != null && remoteReplyAddress(message.getClass()) != null) {
            return awaitRemote(invokeAsync(message, options, parent != null ? parent.envelope() : null, responseType,
                    false));
        }
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
     * Sends a message to a worker of its queue and completes when all its handlers finished; a
     * message handled only in another process goes there as a request carrying this node's reply
     * address, and completes with the reply that comes back (or {@code ReplyTimeoutException}).
     * @param fromWorker whether a handler on a queue worker asks (never blocks); a handler run
     *                   by an outside {@code invoke} waits for room like its caller
     */
    <T> CompletableFuture<T> invokeAsync(Object message, DeliveryOptions options, @Nullable Envelope parent,
                                        @Nullable Class<T> responseType, boolean fromWorker) {
        List<HandlerChain> chains = graph.chainsFor(message.getClass());
        List<Endpoint> routes = dispatcher.routesFor(message.getClass());
        // Through a transport that carries replies (RabbitMQ), whichever process takes the request answers
        // to this node's reply address; a local request is answered in process.
        String remoteReplyTo = responseType != null && !routes.isEmpty()
                ? replies.remote().replyAddress(routes.get(0)).orElse(null) : null;
        Envelope.Builder builder = envelopes.create(message, options, parent).toBuilder()
                .replyTo(remoteReplyTo != null ? remoteReplyTo : PendingReplies.REPLY_TO);
        if (responseType != null) {
            builder.header(PendingReplies.RESPONSE_TYPE_HEADER, responseType.getName());
        }
        Envelope request = builder.build();
        if (routes.isEmpty() || (chains.isEmpty() && remoteReplyTo == null)) {
            observers.invoked(request);
            observers.noHandler(request, "invokeAsync");
            return CompletableFuture.failedFuture(graph.noHandler(message.getClass()));
        }
        if (remoteReplyTo != null) {
            replies.remote().expect(responseType);
        }
        CompletableFuture<T> reply = replies.register(request.id(), request.messageType(), responseType,
                remoteReplyTo != null ? List.of() : chains);
        observers.published(request);
        try {
            // A remote request goes to one route only: one process answers it.
            dispatcher.send(request, routes.get(0), fromWorker);
        } catch (RuntimeException ex) {
            replies.fail(request.id(), ex);
        }
        return reply;
    }

    private @Nullable String remoteReplyAddress(Class<?> messageType) {
        List<Endpoint> routes = dispatcher.routesFor(messageType);
        return routes.isEmpty() ? null : replies.remote().replyAddress(routes.get(0)).orElse(null);
    }

    /** Waits for a remote reply; its timeout is the pending request's own ({@code critter.invoke.timeout}). */
    private static @Nullable Object awaitRemote(CompletableFuture<?> reply) {
        try {
            return reply.join();
        } catch (java.util.concurrent.CompletionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new dev.critter.MessageHandlingException("The remote request failed: " + cause, cause);
        }
    }
}
