package dev.critter.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.DeadLetter;
import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.NoRoutesException;
import dev.critter.routing.Endpoints;
import dev.critter.routing.MessageRouter;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.serialization.RawMessage;
import dev.critter.transport.Destination;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.Endpoint;
import dev.critter.transport.Outbox;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The publishing path: wraps a message in an envelope, routes it, and hands it to each endpoint
 * (or to the scheduler when it is not due yet). Sends from a handler's worker never throw: what
 * cannot be sent there is dead-lettered with the reason.
 */
final class Dispatcher {

    /** What a send that needs no confirm returns: done. */
    private static final CompletableFuture<Void> SENT = CompletableFuture.completedFuture(null);

    private static final Log logger = LogFactory.getLog(Dispatcher.class);

    private final MessageRouter router;
    private final Endpoints endpoints;
    private final EnvelopeFactory envelopes;
    private final Observers observers;
    private final MessageScheduler scheduler;
    private final DeadLettering deadLettering;
    private final @Nullable MessageObservations observations;
    private final @Nullable TransactionOutbox transactionOutbox;
    private final AfterCommit afterCommit;
    private final Set<String> typesWithoutRoute = ConcurrentHashMap.newKeySet();

    Dispatcher(MessageRouter router, Endpoints endpoints, EnvelopeFactory envelopes, Observers observers,
               MessageScheduler scheduler, DeadLettering deadLettering, Instrumentation instrumentation,
               @Nullable Outbox outbox) {
        this.router = router;
        this.endpoints = endpoints;
        this.envelopes = envelopes;
        this.observers = observers;
        this.scheduler = scheduler;
        this.deadLettering = deadLettering;
        this.observations = instrumentation.observations();
        this.transactionOutbox = outbox == null ? null : new TransactionOutbox(this, outbox);
        this.afterCommit = AfterCommit.forClassPath(this);
    }

    /**
     * Returns the in-transaction path with durability: messages of a committing transaction stored in it.
     * @return the outbox path, or {@code null} without durability (held messages wait in memory)
     */
    @Nullable TransactionOutbox transactionOutbox() {
        return transactionOutbox;
    }

    /**
     * Publishes a new message from outside any handler: the caller may block on a full queue.
     * Inside a Spring transaction it is held until the commit.
     */
    void publish(Object message, DeliveryOptions options, boolean requireRoute) {
        publish(message, options, requireRoute, null);
    }

    /**
     * Like {@link #publish(Object, DeliveryOptions, boolean)}, continuing a conversation: tenant,
     * correlation and causation come from {@code parent} (a handler whose attempt has ended).
     */
    void publish(Object message, DeliveryOptions options, boolean requireRoute, @Nullable Envelope parent) {
        Envelope envelope = envelopes.create(message, options, parent);
        if (requireRoute) {
            requireRoute(envelope.message().getClass(), envelope.messageType());
        }
        if (!scheduledInTransaction(envelope) && !afterCommit.hold(envelope)) {
            dispatch(envelope, false);
        }
    }

    /**
     * A scheduled message published inside a transaction goes into it when the scheduler can
     * write there (the durable one): it then exists exactly when the transaction commits, with no
     * window between the commit and the scheduling in which a crash loses it.
     * @return whether it was stored in the transaction; {@code false} when it must take the usual path
     */
    private boolean scheduledInTransaction(Envelope envelope) {
        if (envelope.scheduledAt() == null || !envelope.scheduledAt().isAfter(envelopes.now())
                || !scheduler.canScheduleInTransaction()) {
            return false;
        }
        List<Endpoint> routes = router.routesFor(envelope.message().getClass());
        boolean first = true;
        for (Endpoint endpoint : routes) {
            String address = endpoint.address();
            Envelope stored = observations == null ? envelope : scheduleObserved(envelope, address, observations);
            if (!scheduler.scheduleInTransaction(stored, endpoint.destination(),
                    () -> observers.scheduledDue(stored, address))) {
                if (first) {
                    return false; // no transaction it can write in: the same for every route
                }
                throw new IllegalStateException("The scheduler kept " + envelope.messageType() + " " + envelope.id()
                        + " in the transaction for one destination but not for " + address);
            }
            if (first) {
                observers.published(envelope);
                first = false;
            }
            observers.scheduled(stored, address);
        }
        return !first;
    }

    /**
     * Holds a handler's cascades for the transaction of the calling thread: the caller's (a handler
     * invoked outside any handler) or the handler's own (a transactional handler).
     * @param fromWorker whether a queue worker runs the handler (its cascades never block it)
     * @return {@code true} when held; {@code false} when no transaction is active (send them now)
     */
    boolean holdForCommit(List<Envelope> cascades, boolean fromWorker) {
        List<Envelope> rest = new ArrayList<>(cascades.size());
        for (Envelope envelope : cascades) {
            if (!scheduledInTransaction(envelope)) {
                rest.add(envelope);
            }
        }
        if (rest.size() == cascades.size()) {
            return afterCommit.hold(cascades, fromWorker);
        }
        // Some went into the transaction, so there is one: the rest are held for its commit.
        return rest.isEmpty() || afterCommit.hold(rest, fromWorker);
    }

    /**
     * Makes savepoints of the calling thread's transaction, the transactional handler's own, drop
     * what the attempt published since them when they roll back.
     */
    void watchSavepoints(DefaultMessageContext context) {
        afterCommit.watchSavepoints(context);
    }

    void requireRoute(Class<?> messageClass, String messageType) {
        if (router.routesFor(messageClass).isEmpty()) {
            throw new NoRoutesException(messageType);
        }
    }

    List<Endpoint> routesFor(Class<?> messageClass) {
        return router.routesFor(messageClass);
    }

    /**
     * Sends an envelope to every route.
     * @param fromHandler whether a handler on a worker sends it (its cascades): never blocks, and
     *                    a route that refuses it gets a dead letter instead of an exception
     */
    void dispatch(Envelope envelope, boolean fromHandler) {
        dispatch(envelope, fromHandler, fromHandler);
    }

    /**
     * Sends a message whose transaction committed: it may wait on a full queue like any outside
     * publish (unless a queue worker's handler published it), but nobody can retry it any more, so
     * each destination that refuses it gets a dead letter and the others still get it.
     */
    void dispatchCommitted(Envelope envelope, boolean fromWorker) {
        dispatch(envelope, fromWorker, true);
    }

    private void dispatch(Envelope envelope, boolean fromHandler, boolean deadLetterRefusals) {
        List<Endpoint> routes = router.routesFor(envelope.message().getClass());
        observers.published(envelope);
        if (routes.isEmpty()) {
            noRoute(envelope);
            return;
        }
        boolean scheduled = envelope.scheduledAt() != null && envelope.scheduledAt().isAfter(envelopes.now());
        if (!deadLetterRefusals && !scheduled && routes.size() > 1) {
            // Room everywhere before a copy goes anywhere: a publish refused half-way would leave
            // copies that the caller's retry of the publish duplicates.
            for (Endpoint endpoint : routes) {
                endpoint.awaitAccepting();
            }
        }
        boolean sentAny = false;
        // Indexed: an iterator per message is not always removed by the JIT on this path.
        for (int r = 0; r < routes.size(); r++) {
            Endpoint endpoint = routes.get(r);
            try {
                if (scheduled) {
                    schedule(envelope, endpoint.destination());
                } else {
                    send(envelope, endpoint, fromHandler);
                }
                sentAny = true;
            } catch (RuntimeException ex) {
                if (!deadLetterRefusals && !sentAny) {
                    throw ex;
                }
                // Nobody waits for it (a worker's cascade), can retry it (committed), or may: a
                // copy already went elsewhere (the room checked for above was taken meanwhile),
                // so a retry of the publish would duplicate it. Keep it as a dead letter, with the reason.
                deadLettering.undeliverable(envelope, endpoint.address(), ex);
            }
        }
    }

    void published(Envelope envelope) {
        observers.published(envelope);
    }

    /** Whether an envelope waits for the scheduler rather than going to its endpoints now. */
    boolean notDueYet(Envelope envelope) {
        return envelope.scheduledAt() != null && envelope.scheduledAt().isAfter(envelopes.now());
    }

    /** A durable endpoint stored a copy in a transaction that committed: it queues the copy itself. */
    void storedByEndpoint(Envelope envelope, Endpoint endpoint) {
        observers.sent(envelope, endpoint.address());
        observers.accepted(envelope, endpoint.address());
    }

    /**
     * Sends what the outbox kept (its relay): the envelope as it was stored, to one destination,
     * or to the scheduler when not due yet; a body that no longer reads is dead-lettered (bad input
     * is kept, never retried). The relay runs on the node's background threads, with its
     * heartbeat: the send never waits for room ({@link Endpoint#offer}).
     * @return completes once the destination holds it safely (at once for the scheduler and the dead letters)
     * @throws dev.critter.transport.EndpointFullException when the destination is full right now
     * @throws RuntimeException when the destination did not accept it, or when the dead letter of an
     *         unreadable one was not stored: the outbox keeps it either way
     */
    CompletableFuture<Void> relay(Envelope envelope, Destination destination) {
        Endpoint endpoint = endpoints.find(destination).orElseThrow(() -> new IllegalStateException(
                "No endpoint " + destination + " for " + envelope.messageType() + " " + envelope.id()));
        if (envelope.message() instanceof RawMessage raw) {
            if (!deadLettering.unreadable(envelope, endpoint.address(), raw).kept()) {
                // Its row is all that is left of it: it stays in the outbox until the store takes it.
                throw new IllegalStateException("The dead letter of unreadable " + envelope.messageType() + " "
                        + envelope.id() + " was not stored");
            }
            return SENT;
        }
        if (notDueYet(envelope)) {
            schedule(envelope, destination);
            return SENT;
        }
        return deliver(envelope, endpoint, false, HandOver.OFFER);
    }

    void noRoute(Envelope envelope) {
        observers.noRoute(envelope);
        if (typesWithoutRoute.add(envelope.messageType())) {
            logger.info("No route for " + envelope.messageType() + " (message " + envelope.id() + "): not sent. "
                    + "Messages of a type without handler or publishing rule are counted in "
                    + "critter.messages.no-route and logged at DEBUG from now on");
        } else if (logger.isDebugEnabled()) {
            logger.debug("No route for " + envelope.messageType() + " " + envelope.id() + "; message not sent");
        }
    }

    void schedule(Envelope envelope, Destination destination) {
        String address = destination.toString();
        Envelope stored = observations == null ? envelope : scheduleObserved(envelope, address, observations);
        observers.scheduled(stored, address);
        try {
            scheduler.schedule(stored, destination);
        } catch (RuntimeException ex) {
            observers.scheduledDue(stored, address);
            throw ex;
        }
    }

    /**
     * Observes scheduling as the message's send: its start writes the trace context the message
     * carries until it is due, so its handling continues the publisher's trace.
     */
    private static Envelope scheduleObserved(Envelope envelope, String address, MessageObservations observations) {
        Map<String, String> headers = new LinkedHashMap<>(envelope.headers());
        observations.sending(envelope, address, headers).start().stop();
        return withHeaders(envelope, headers);
    }

    /** The envelope with the headers a send observation wrote; the same one when it wrote none. */
    private static Envelope withHeaders(Envelope envelope, Map<String, String> headers) {
        return headers.equals(envelope.headers()) ? envelope : envelope.toBuilder().headers(headers).build();
    }

    void send(Envelope envelope, Endpoint endpoint, boolean fromHandler) {
        deliver(envelope, endpoint, fromHandler, HandOver.SEND);
    }

    /**
     * Sends like {@link #send} (the same observers and metrics: "accepted" when the endpoint took
     * it), through {@link Endpoint#sendConfirmed}.
     * @return completes once the destination holds the envelope safely (a broker's confirm)
     */
    CompletableFuture<Void> sendConfirmed(Envelope envelope, Endpoint endpoint, boolean fromHandler) {
        return deliver(envelope, endpoint, fromHandler, HandOver.CONFIRMED);
    }

    private CompletableFuture<Void> deliver(Envelope envelope, Endpoint endpoint, boolean fromHandler,
                                            HandOver how) {
        if (observations != null) {
            return sendObserved(envelope, endpoint, fromHandler, how, observations);
        }
        // Observers hear "sent" before the endpoint has it: a fast worker may finish it before
        // send returns, and tracking must never see the finish before the send.
        String address = endpoint.address();
        observers.sent(envelope, address);
        CompletableFuture<Void> safe;
        try {
            safe = handOver(envelope, endpoint, fromHandler, how);
        } catch (RuntimeException ex) {
            observers.sendFailed(envelope, address, ex);
            throw ex;
        }
        observers.accepted(envelope, address);
        return safe;
    }

    private static CompletableFuture<Void> handOver(Envelope envelope, Endpoint endpoint, boolean fromHandler,
                                                    HandOver how) {
        switch (how) {
            case CONFIRMED -> {
                return endpoint.sendConfirmed(envelope, fromHandler);
            }
            case OFFER -> {
                return endpoint.offer(envelope);
            }
            case REPLAY -> {
                if (!(endpoint instanceof DurableEndpoint durable)) {
                    endpoint.send(envelope, fromHandler);
                } else if (!durable.sendUnlessDuplicate(envelope)) {
                    // Left out, the replay would still delete its dead letter: nothing would be left of it.
                    throw new IllegalStateException(endpoint.address() + " did not take the replayed "
                            + envelope.messageType() + " " + envelope.id() + ": it still holds that message (a delivery "
                            + "of it has not finished: replay again once it has) or its handler already handled it");
                }
                return SENT;
            }
            default -> {
                endpoint.send(envelope, fromHandler);
                return SENT;
            }
        }
    }

    /** How an envelope is handed to its endpoint. */
    private enum HandOver {
        /** {@link Endpoint#send}. */
        SEND,
        /** {@link Endpoint#sendConfirmed}: completes once the destination holds it safely. */
        CONFIRMED,
        /** A dead letter's replay: a durable endpoint that leaves it out as a duplicate fails the replay. */
        REPLAY,
        /** {@link Endpoint#offer}: a background agent's send, refused at once when full. */
        OFFER
    }

    /**
     * Sends inside a send observation, whose start writes the trace context into the envelope's
     * headers, so the handling observation on the other side continues the trace.
     */
    private CompletableFuture<Void> sendObserved(Envelope envelope, Endpoint endpoint, boolean fromHandler,
                                                 HandOver how, MessageObservations observations) {
        String address = endpoint.address();
        Map<String, String> headers = new LinkedHashMap<>(envelope.headers());
        Observation observation = observations.sending(envelope, address, headers).start();
        Envelope traced = withHeaders(envelope, headers);
        try (Observation.Scope scope = observation.openScope()) {
            observers.sent(traced, address);
            CompletableFuture<Void> safe;
            try {
                safe = handOver(traced, endpoint, fromHandler, how);
            } catch (RuntimeException ex) {
                observers.sendFailed(traced, address, ex);
                observation.error(ex);
                throw ex;
            }
            observers.accepted(traced, address);
            return safe;
        } finally {
            observation.stop();
        }
    }

    /**
     * Delivers a scheduled envelope that became due; one whose destination no longer exists is
     * dead-lettered. Without a scheduler that keeps refused deliveries (in memory) it is admitted
     * like a handler's send, and a refusal (stopping) is dead-lettered. A scheduler that keeps them
     * (durable) polls on the node's background threads, with its heartbeat: the delivery never waits
     * for room ({@link Endpoint#offer}), and a refusal (full, stopping) goes back to the scheduler,
     * which keeps the message.
     */
    void dispatchDue(Envelope envelope, Destination destination) {
        String address = destination.toString();
        boolean keep = scheduler.keepsRefusedDeliveries();
        boolean keptByScheduler = false;
        try {
            Optional<Endpoint> endpoint = endpoints.find(destination);
            if (endpoint.isEmpty()) {
                deadLettering.undeliverable(envelope, address,
                        new IllegalStateException("No endpoint " + destination + " for scheduled " + envelope.id()));
                return;
            }
            try {
                if (keep) {
                    deliver(envelope, endpoint.get(), false, HandOver.OFFER);
                } else {
                    send(envelope, endpoint.get(), true);
                }
            } catch (RuntimeException refused) {
                if (keep) {
                    keptByScheduler = true; // it tries again later: not due-and-done yet
                    throw refused;
                }
                deadLettering.undeliverable(envelope, address, refused);
            }
        } finally {
            if (!keptByScheduler) {
                observers.scheduledDue(envelope, address);
            }
        }
    }

    /** Sends a dead letter's message back to its endpoint and chain, attempts reset. */
    void replay(DeadLetter letter) {
        Destination destination = Destination.parse(letter.destination());
        Endpoint endpoint = endpoints.find(destination).orElseThrow(() ->
                new IllegalStateException("Dead letter " + letter.id() + " came from " + letter.destination()
                        + ", which no longer exists"));
        Envelope replayed = letter.envelope().toBuilder().attempts(0)
                .header(ChainRunner.CHAIN_HEADER, letter.handler()).build();
        observers.published(replayed);
        deliver(replayed, endpoint, false, HandOver.REPLAY);
    }
}
