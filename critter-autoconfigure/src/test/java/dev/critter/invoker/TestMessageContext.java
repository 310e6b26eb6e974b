package dev.critter.invoker;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/** A message context around one envelope; invokers only read it, so sending is unsupported. */
final class TestMessageContext implements MessageContext {

    private final Envelope envelope;

    TestMessageContext(Envelope envelope) {
        this.envelope = envelope;
    }

    static TestMessageContext of(Object message) {
        return new TestMessageContext(envelope(message).build());
    }

    static Envelope.Builder envelope(Object message) {
        return Envelope.builder().id(UUID.randomUUID()).messageType("x").message(message).sentAt(Instant.now());
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
        return envelope.attempts() + 1;
    }

    @Override
    public void respond(Object reply) {
        throw unsupported();
    }

    @Override
    public void publish(Object message) {
        throw unsupported();
    }

    @Override
    public void publish(Object message, DeliveryOptions options) {
        throw unsupported();
    }

    @Override
    public void send(Object message) {
        throw unsupported();
    }

    @Override
    public void send(Object message, DeliveryOptions options) {
        throw unsupported();
    }

    @Override
    public void invoke(Object message) {
        throw unsupported();
    }

    @Override
    public <T> T invoke(Object message, Class<T> responseType) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Void> invokeAsync(Object message) {
        throw unsupported();
    }

    @Override
    public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
        throw unsupported();
    }

    @Override
    public void schedule(Object message, Instant at) {
        throw unsupported();
    }

    @Override
    public void schedule(Object message, Duration delay) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("invoker tests only read the message context");
    }
}
