package dev.critter.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.MessageContext;
import dev.critter.handler.HandlerDescriptor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The context of one handling attempt. What the handler publishes is held here and sent only
 * when the attempt succeeds; a nested {@code invoke} hands its held messages to its parent, so
 * they too wait for the outermost handler. Thread-safe: an async handler's code may publish from
 * other threads until its future completes; once the attempt ended, publishing fails.
 */
final class DefaultMessageContext implements MessageContext {

    private static final Log logger = LogFactory.getLog(DefaultMessageContext.class);

    private final ContextServices services;
    private final Envelope envelope;
    private final HandlerDescriptor handler;
    private final int attempt;
    private final @Nullable DefaultMessageContext parent;
    private final boolean onWorker;
    // Guarded by this.
    private @Nullable List<Envelope> held;
    private @Nullable Object response;
    private boolean ended;
    /** Read without the lock on every attempt: most handlers never respond. */
    private volatile boolean responded;

    DefaultMessageContext(ContextServices services, Envelope envelope, HandlerDescriptor handler, int attempt,
                          @Nullable DefaultMessageContext parent, boolean onWorker) {
        this.services = services;
        this.envelope = envelope;
        this.handler = handler;
        this.attempt = attempt;
        this.parent = parent;
        this.onWorker = onWorker || (parent != null && parent.onWorker);
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    @Override
    public @Nullable String tenantId() {
        return envelope.tenantId();
    }

    @Override
    public String correlationId() {
        return envelope.correlationId();
    }

    @Override
    public int attempts() {
        return attempt;
    }

    @Override
    public synchronized void respond(Object reply) {
        this.response = reply;
        this.responded = true;
    }

    @Override
    public void publish(Object message) {
        publish(message, DeliveryOptions.none());
    }

    @Override
    public void publish(Object message, DeliveryOptions options) {
        hold(child(message, options, false));
    }

    @Override
    public void send(Object message) {
        send(message, DeliveryOptions.none());
    }

    @Override
    public void send(Object message, DeliveryOptions options) {
        hold(child(message, options, true));
    }

    @Override
    public void invoke(Object message) {
        services.invoker().invoke(message, DeliveryOptions.none(), this, null);
    }

    @Override
    public <T> T invoke(Object message, Class<T> responseType) {
        return responseType.cast(services.invoker().invoke(message, DeliveryOptions.none(), this, responseType));
    }

    @Override
    public CompletableFuture<Void> invokeAsync(Object message) {
        return services.invoker().invokeAsync(message, DeliveryOptions.none(), envelope, null, onWorker);
    }

    @Override
    public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
        return services.invoker().invokeAsync(message, DeliveryOptions.none(), envelope, responseType, onWorker);
    }

    @Override
    public void schedule(Object message, Instant at) {
        publish(message, DeliveryOptions.builder().scheduledAt(at).build());
    }

    @Override
    public void schedule(Object message, Duration delay) {
        publish(message, DeliveryOptions.builder().delay(delay).build());
    }

    /**
     * For the singleton bus on a thread the context was carried to: publishes (or, with
     * {@code requireRoute}, sends) as this context while its attempt is open.
     * @return {@code false} when the attempt has ended and nothing was held: the bus then sends
     *         the message on its own
     */
    boolean publishIfOpen(Object message, DeliveryOptions options, boolean requireRoute) {
        Envelope child = child(message, options, requireRoute);
        synchronized (this) {
            if (ended) {
                return false;
            }
            addHeld(child);
            return true;
        }
    }

    /** A message this attempt sends on, continuing its conversation; checked for a route when asked. */
    private Envelope child(Object message, DeliveryOptions options, boolean requireRoute) {
        Envelope child = services.envelopes().create(message, options, envelope);
        if (requireRoute) {
            services.dispatcher().requireRoute(message.getClass(), child.messageType());
        }
        return child;
    }

    /** @return whether the attempt is still running (it may end at any moment after) */
    synchronized boolean isOpen() {
        return !ended;
    }

    private synchronized void hold(Envelope child) {
        if (ended) {
            throw new IllegalStateException("The message context of " + handler.shortName() + " for "
                    + envelope.messageType() + " " + envelope.id() + " (attempt " + attempt + ") is closed: that "
                    + "attempt has ended, so " + child.messageType() + " cannot be held for it. Publish before the "
                    + "handler returns (an async handler: before its future completes), or publish through the "
                    + "IMessageBus bean to send it on its own");
        }
        addHeld(child);
    }

    /** Under the lock. */
    private void addHeld(Envelope child) {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        held.add(child);
    }

    /**
     * Sorts the handler's return value into the response (when it is what the caller waits for,
     * or when the handler called {@link #respond}) and cascades (everything else). A reply for a
     * caller who stopped waiting is dropped, never published.
     */
    @Nullable Object takeResponse(@Nullable Object returned, @Nullable ExpectedReply expected) {
        Object reply = null;
        boolean replied = responded;
        if (replied) {
            synchronized (this) {
                reply = response;
            }
        }
        if (!replied && expected != null && expected.matches(returned)) {
            reply = returned;
            replied = true;
        } else {
            Cascades.each(returned, this::publish);
        }
        if (replied && expected != null && expected.callerGone()) {
            if (logger.isDebugEnabled()) {
                logger.debug("Reply " + reply + " to " + envelope.messageType() + " " + envelope.id()
                        + " dropped: its caller stopped waiting (critter.invoke.timeout)");
            }
            return null;
        }
        if (replied && expected == null && envelope.replyTo() == null && logger.isDebugEnabled()) {
            logger.debug("Reply " + reply + " to " + envelope.messageType() + " " + envelope.id()
                    + " ignored: nobody waits for a reply");
        }
        return reply;
    }

    /**
     * The attempt succeeded: close the context and release what it held. On a worker a message
     * that cannot be sent is dead-lettered by the dispatch and the others still go; inline, every
     * message is tried and the first failure is returned (later ones suppressed in it) for the
     * caller of {@code invoke}.
     * @return the failure to report to an inline caller, or {@code null}
     */
    @Nullable RuntimeException complete() {
        return complete(false);
    }

    /**
     * Like {@link #complete()}; with {@code inOwnTransaction}, the handler's transaction is active
     * on this thread and the messages are held for its commit (with durability: written in it).
     * @param inOwnTransaction whether the attempt runs in a transaction of its handler, still open
     * @return the failure to report to an inline caller, or {@code null}
     * @throws RuntimeException when holding the messages in the transaction failed: the handler's
     *         transaction must roll back
     */
    @Nullable RuntimeException complete(boolean inOwnTransaction) {
        List<Envelope> messages;
        synchronized (this) {
            ended = true;
            messages = held;
            held = null;
        }
        if (messages == null) {
            return null;
        }
        if (parent != null) {
            messages.forEach(parent::hold);
            return null;
        }
        // A transactional handler's cascades are held in its own transaction; those of a handler
        // invoked by code outside any handler join the caller's transaction, if it has one.
        if ((inOwnTransaction || !onWorker) && services.dispatcher().holdForCommit(messages, onWorker)) {
            return null;
        }
        RuntimeException first = null;
        for (Envelope message : messages) {
            try {
                services.dispatcher().dispatch(message, onWorker);
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        return first;
    }

    /** The attempt failed: close the context and drop what it held. */
    synchronized void discard() {
        ended = true;
        held = null;
        response = null;
        responded = false;
    }
}
