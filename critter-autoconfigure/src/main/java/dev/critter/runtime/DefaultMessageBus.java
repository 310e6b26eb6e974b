package dev.critter.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;

/**
 * The singleton {@link IMessageBus}. On a thread running a handler it acts as that handler's
 * {@link MessageContext}; on any other thread (including an executor an async handler hands work
 * to) it is the outside bus: it publishes directly, and the caller may wait on a full queue. Where
 * context propagation carried a handler's context whose attempt has since ended, it is the outside
 * bus continuing that handler's conversation (tenant, correlation, causation).
 */
public final class DefaultMessageBus implements IMessageBus {

    private final CritterRuntime runtime;

    /**
     * Creates the bus.
     * @param runtime the runtime that does the work once started
     */
    public DefaultMessageBus(CritterRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void publish(Object message) {
        publish(message, DeliveryOptions.none());
    }

    @Override
    public void publish(Object message, DeliveryOptions options) {
        publish(message, options, false);
    }

    /**
     * A context carried to another thread (context propagation) may have ended, its handler having
     * returned: the message then goes out on its own, in the same conversation, rather than failing.
     */
    private void publish(Object message, DeliveryOptions options, boolean requireRoute) {
        DefaultMessageContext context = CurrentContext.get();
        if (context == null) {
            runtime.dispatcher().publish(message, options, requireRoute);
        } else if (!context.publishIfOpen(message, options, requireRoute)) {
            runtime.dispatcher().publish(message, options, requireRoute, context.envelope());
        }
    }

    @Override
    public void send(Object message) {
        send(message, DeliveryOptions.none());
    }

    @Override
    public void send(Object message, DeliveryOptions options) {
        publish(message, options, true);
    }

    @Override
    public void invoke(Object message) {
        DefaultMessageContext context = CurrentContext.get();
        if (context != null && context.isOpen()) {
            context.invoke(message);
        } else {
            runtime.invoker().invoke(message, DeliveryOptions.none(), null, null);
        }
    }

    @Override
    public <T> T invoke(Object message, Class<T> responseType) {
        DefaultMessageContext context = CurrentContext.get();
        if (context != null && context.isOpen()) {
            return context.invoke(message, responseType);
        }
        return responseType.cast(runtime.invoker().invoke(message, DeliveryOptions.none(), null, responseType));
    }

    @Override
    public CompletableFuture<Void> invokeAsync(Object message) {
        DefaultMessageContext context = CurrentContext.get();
        if (context != null && context.isOpen()) {
            return context.invokeAsync(message);
        }
        return runtime.invoker().invokeAsync(message, DeliveryOptions.none(),
                context != null ? context.envelope() : null, null, false);
    }

    @Override
    public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
        DefaultMessageContext context = CurrentContext.get();
        if (context != null && context.isOpen()) {
            return context.invokeAsync(message, responseType);
        }
        return runtime.invoker().invokeAsync(message, DeliveryOptions.none(),
                context != null ? context.envelope() : null, responseType, false);
    }

    @Override
    public void schedule(Object message, Instant at) {
        publish(message, DeliveryOptions.builder().scheduledAt(at).build());
    }

    @Override
    public void schedule(Object message, Duration delay) {
        publish(message, DeliveryOptions.builder().delay(delay).build());
    }
}
