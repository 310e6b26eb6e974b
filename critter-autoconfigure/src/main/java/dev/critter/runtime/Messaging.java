package dev.critter.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.NoRoutesException;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.error.ErrorPolicies;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.HandlerGraph;
import dev.critter.routing.Endpoints;
import dev.critter.routing.MessageRouter;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.transport.Endpoint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Everything built at start-up that publishing and handling need, and the publishing path:
 * route an envelope, then hand it to each endpoint (or to the scheduler when it is not due yet).
 */
final class Messaging {

    private static final Log logger = LogFactory.getLog(Messaging.class);

    final RuntimeSettings settings;
    final HandlerGraph graph;
    final MessageRouter router;
    final Endpoints endpoints;
    final EnvelopeFactory envelopes;
    final Observers observers;
    final MessageScheduler scheduler;
    final ErrorPolicies policies;
    final DeadLetterStore deadLetters;
    final PendingReplies replies = new PendingReplies();
    final ChainRunner runner;
    final AfterCommit afterCommit;
    private final Set<String> typesWithoutRoute = ConcurrentHashMap.newKeySet();

    Messaging(RuntimeSettings settings, HandlerGraph graph, MessageRouter router, Endpoints endpoints,
              EnvelopeFactory envelopes, Observers observers, MessageScheduler scheduler, ErrorPolicies policies,
              DeadLetterStore deadLetters) {
        this.settings = settings;
        this.graph = graph;
        this.router = router;
        this.endpoints = endpoints;
        this.envelopes = envelopes;
        this.observers = observers;
        this.scheduler = scheduler;
        this.policies = policies;
        this.deadLetters = deadLetters;
        this.runner = new ChainRunner(this);
        this.afterCommit = AfterCommit.forClassPath(this);
    }

    /**
     * Publishes a new message from outside any handler: the caller may block on a full queue.
     * Inside a Spring transaction it is held until the commit.
     */
    void publish(Object message, DeliveryOptions options, boolean requireRoute) {
        Envelope envelope = envelopes.create(message, options, null);
        if (requireRoute) {
            requireRoute(envelope.message().getClass(), envelope.messageType());
        }
        if (!afterCommit.hold(envelope)) {
            dispatch(envelope, false);
        }
    }

    void requireRoute(Class<?> messageClass, String messageType) {
        if (router.routesFor(messageClass).isEmpty()) {
            throw new NoRoutesException(messageType);
        }
    }

    /**
     * Sends an envelope to every route.
     * @param fromHandler whether a handler's cascades are sent (never blocks on a full queue)
     */
    void dispatch(Envelope envelope, boolean fromHandler) {
        List<Endpoint> routes = router.routesFor(envelope.message().getClass());
        observers.published(envelope);
        if (routes.isEmpty()) {
            observers.noRoute(envelope);
            if (typesWithoutRoute.add(envelope.messageType())) {
                logger.info("No route for " + envelope.messageType() + " (message " + envelope.id() + "): not sent. "
                        + "Messages of a type without handler or publishing rule are counted in "
                        + "critter.messages.no-route and logged at DEBUG from now on");
            } else if (logger.isDebugEnabled()) {
                logger.debug("No route for " + envelope.messageType() + " " + envelope.id() + "; message not sent");
            }
            return;
        }
        boolean scheduled = envelope.scheduledAt() != null && envelope.scheduledAt().isAfter(envelopes.clock().instant());
        for (Endpoint endpoint : routes) {
            if (scheduled) {
                schedule(envelope, endpoint.address());
            } else {
                send(envelope, endpoint, fromHandler);
            }
        }
    }

    void schedule(Envelope envelope, String destination) {
        observers.scheduled(envelope, destination);
        try {
            scheduler.schedule(envelope, destination);
        } catch (RuntimeException ex) {
            observers.scheduledDue(envelope, destination);
            throw ex;
        }
    }

    void send(Envelope envelope, Endpoint endpoint, boolean fromHandler) {
        // Observers hear "sent" before the endpoint has it: a fast worker may finish it before
        // send returns, and tracking must never see the finish before the send.
        observers.sent(envelope, endpoint.address());
        try {
            endpoint.send(envelope, fromHandler);
        } catch (RuntimeException ex) {
            observers.sendFailed(envelope, endpoint.address(), ex);
            throw ex;
        }
    }

    /** Delivers a scheduled envelope that became due. */
    void dispatchDue(Envelope envelope, String destination) {
        try {
            Endpoint endpoint = endpoints.find(destination).orElseThrow(
                    () -> new IllegalStateException("No endpoint " + destination + " for scheduled " + envelope.id()));
            send(envelope, endpoint, true);
        } finally {
            observers.scheduledDue(envelope, destination);
        }
    }

    /** Runs a message's handlers on the calling thread. */
    @Nullable Object invoke(Object message, DeliveryOptions options, @Nullable DefaultMessageContext parent,
                            @Nullable Class<?> responseType) {
        List<HandlerChain> chains = graph.chainsFor(message.getClass());
        Envelope envelope = envelopes.createInline(message, options, parent != null ? parent.envelope() : null);
        observers.invoked(envelope);
        if (chains.isEmpty()) {
            observers.noHandler(envelope, "invoke");
            throw graph.noHandler(message.getClass());
        }
        Object response = null;
        for (HandlerChain chain : chains) {
            ChainRunner.Outcome outcome = runner.runInline(envelope, chain, parent, responseType);
            if (outcome.failure() != null) {
                throw ChainRunner.rethrowable(outcome.failure(), chain);
            }
            if (outcome.response() != null && response == null) {
                response = outcome.response();
            }
        }
        return response;
    }

    /** Sends a message to a worker of its local queue and completes when its handlers finished. */
    <T> CompletableFuture<T> invokeAsync(Object message, DeliveryOptions options, @Nullable Envelope parent,
                                        @Nullable Class<T> responseType) {
        Envelope request = envelopes.create(message, options, parent).toBuilder()
                .replyTo(PendingReplies.LOCAL_REPLY_ADDRESS).build();
        Endpoint endpoint = router.routesFor(message.getClass()).stream()
                .filter(e -> e.address().startsWith("local://")).findFirst().orElse(null);
        if (endpoint == null || graph.chainsFor(message.getClass()).isEmpty()) {
            observers.invoked(request);
            observers.noHandler(request, "invokeAsync");
            return CompletableFuture.failedFuture(graph.noHandler(message.getClass()));
        }
        CompletableFuture<T> reply = replies.register(request.id(), request.messageType(), responseType,
                settings.invokeTimeout());
        observers.published(request);
        try {
            send(request, endpoint, parent != null);
        } catch (RuntimeException ex) {
            replies.fail(request.id(), ex);
        }
        return reply;
    }

    Instant now() {
        return envelopes.clock().instant();
    }
}
