package dev.critter.runtime;

/**
 * What a {@link DefaultMessageContext} publishes and invokes through; one instance for the runtime.
 * @param envelopes wraps what the handler publishes
 * @param dispatcher sends it once the attempt succeeded
 * @param invoker runs nested {@code invoke} and {@code invokeAsync} calls
 */
record ContextServices(EnvelopeFactory envelopes, Dispatcher dispatcher, InlineInvoker invoker) {
}
