package dev.critter.transport;

import java.util.concurrent.CompletableFuture;

import dev.critter.Envelope;

/** A destination that accepts envelopes: a local queue, a durable local queue, a broker queue or exchange. */
public interface Endpoint {

    /**
     * Returns where this endpoint is, e.g. {@code local://orders}.
     * @return where this endpoint is, e.g. {@code local://orders}
     */
    Destination destination();

    /**
     * Returns the text form of {@link #destination()}, as observers and dead letters show it.
     * @return the text form of {@link #destination()}, as observers and dead letters show it
     */
    default String address() {
        return destination().toString();
    }

    /**
     * Waits, as a send from outside a handler would, until this endpoint would accept an
     * envelope, without sending one. Publishing to several endpoints waits on every one first, so
     * a refusal leaves no endpoint with a copy that a retry of the publish would duplicate.
     * @throws dev.critter.QueueFullException when the endpoint stayed full for the publish timeout
     * @throws IllegalStateException when the endpoint is stopped
     */
    default void awaitAccepting() {
    }

    /**
     * Accepts an envelope for delivery.
     * @param envelope the envelope
     * @param fromHandler whether a running handler publishes it (its cascades): such sends must
     *                    never block, or a handler cascading onto its own full queue would deadlock
     * @throws dev.critter.QueueFullException when a bounded endpoint stayed full for the publish timeout
     * @throws IllegalStateException when the endpoint is stopped and no longer accepts messages
     */
    void send(Envelope envelope, boolean fromHandler);

    /**
     * Accepts an envelope like {@link #send}, and tells when the destination holds it safely: a
     * broker's publisher confirm, say. The transactional outbox deletes its copy of the envelope
     * only then, so a process that dies between the accept and the confirm loses nothing. The
     * default completes when {@code send} returns: an endpoint that takes the envelope into its
     * own hands (a local queue) holds it safely once it accepted it.
     * @param envelope the envelope
     * @param fromHandler as for {@link #send}
     * @return completes once the destination holds the envelope safely, or exceptionally when it
     *         never will (the endpoint stopped with it unconfirmed); completes on whatever thread
     *         learns it, so callers must not block in its callbacks
     * @throws dev.critter.QueueFullException as {@link #send} does
     * @throws IllegalStateException as {@link #send} does
     */
    default CompletableFuture<Void> sendConfirmed(Envelope envelope, boolean fromHandler) {
        send(envelope, fromHandler);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Hands an envelope over only if this endpoint takes it without waiting for room: for senders
     * that must never block, the durable background agents (outbox relay, scheduled-message
     * poller), which share the node's few background threads with its heartbeat. A bounded
     * in-memory queue that is full refuses at once; unlike a handler's send, nothing is admitted
     * above capacity. The default sends as {@link #sendConfirmed} does from outside a handler: for
     * endpoints without room of their own to wait for.
     * @param envelope the envelope
     * @return as {@link #sendConfirmed}
     * @throws EndpointFullException when the endpoint is full right now: nothing was sent, and the
     *         exception tells when room appears
     * @throws IllegalStateException when the endpoint is stopped and no longer accepts messages
     */
    default CompletableFuture<Void> offer(Envelope envelope) {
        return sendConfirmed(envelope, false);
    }
}
