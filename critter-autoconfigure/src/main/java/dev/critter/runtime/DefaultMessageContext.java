package dev.critter.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.MessageContext;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The context of one handling attempt. What the handler publishes is held here and sent only
 * when the attempt succeeds; a nested {@code invoke} hands its held messages to its parent, so
 * they too wait for the outermost handler.
 */
final class DefaultMessageContext implements MessageContext {

    private static final Log logger = LogFactory.getLog(DefaultMessageContext.class);

    private final Messaging messaging;
    private final Envelope envelope;
    private final int attempt;
    private final @Nullable DefaultMessageContext parent;
    private final boolean onWorker;
    private @Nullable List<Envelope> held;
    private @Nullable Object response;
    private boolean responded;

    DefaultMessageContext(Messaging messaging, Envelope envelope, int attempt, @Nullable DefaultMessageContext parent,
                          boolean onWorker) {
        this.messaging = messaging;
        this.envelope = envelope;
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
    public void respond(Object reply) {
        this.response = reply;
        this.responded = true;
    }

    @Override
    public void publish(Object message) {
        publish(message, DeliveryOptions.none());
    }

    @Override
    public void publish(Object message, DeliveryOptions options) {
        hold(messaging.envelopes.create(message, options, envelope));
    }

    @Override
    public void send(Object message) {
        send(message, DeliveryOptions.none());
    }

    @Override
    public void send(Object message, DeliveryOptions options) {
        Envelope child = messaging.envelopes.create(message, options, envelope);
        messaging.requireRoute(message.getClass(), child.messageType());
        hold(child);
    }

    @Override
    public void invoke(Object message) {
        messaging.invoke(message, DeliveryOptions.none(), this, null);
    }

    @Override
    public <T> T invoke(Object message, Class<T> responseType) {
        return responseType.cast(messaging.invoke(message, DeliveryOptions.none(), this, responseType));
    }

    @Override
    public CompletableFuture<Void> invokeAsync(Object message) {
        return messaging.invokeAsync(message, DeliveryOptions.none(), envelope, null);
    }

    @Override
    public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
        return messaging.invokeAsync(message, DeliveryOptions.none(), envelope, responseType);
    }

    @Override
    public void schedule(Object message, Instant at) {
        publish(message, DeliveryOptions.builder().scheduledAt(at).build());
    }

    @Override
    public void schedule(Object message, Duration delay) {
        publish(message, DeliveryOptions.builder().delay(delay).build());
    }

    private void hold(Envelope child) {
        if (held == null) {
            held = new ArrayList<>(4);
        }
        held.add(child);
    }

    /**
     * Sorts the handler's return value into the response (when it is of the expected type, or
     * when the handler called {@link #respond}) and cascades (everything else).
     */
    @Nullable Object takeResponse(@Nullable Object returned, @Nullable Class<?> responseType) {
        if (!responded && responseType != null && responseType.isInstance(returned)) {
            return returned;
        }
        Cascades.each(returned, this::publish);
        if (responded && responseType == null && envelope.replyTo() == null && logger.isDebugEnabled()) {
            logger.debug("Reply " + response + " to " + envelope.messageType() + " " + envelope.id()
                    + " ignored: nobody waits for a reply");
        }
        return response;
    }

    /** The attempt succeeded: release what it held. */
    void complete() {
        List<Envelope> messages = held;
        held = null;
        if (messages == null) {
            return;
        }
        if (parent != null) {
            messages.forEach(parent::hold);
            return;
        }
        // A handler invoked by code outside any handler: its cascades join the caller's transaction.
        if (!onWorker && messaging.afterCommit.hold(messages)) {
            return;
        }
        for (Envelope message : messages) {
            messaging.dispatch(message, onWorker);
        }
    }

    /** The attempt failed: drop what it held. */
    void discard() {
        held = null;
        response = null;
        responded = false;
    }
}
