package dev.critter;

import org.jspecify.annotations.Nullable;

/**
 * The bus as seen from inside a handler: it knows the message being handled.
 * <p>
 * Messages published through it inherit the tenant and correlation id of the current message,
 * name it as their causation, and are held until the handler succeeds; if the handler fails
 * they are dropped.
 */
public interface MessageContext extends IMessageBus {

    /**
     * Returns the envelope of the message being handled.
     * @return the envelope of the message being handled
     */
    Envelope envelope();

    /**
     * Returns the tenant of the message being handled, or {@code null}.
     * @return the tenant of the message being handled, or {@code null}
     */
    @Nullable String tenantId();

    /**
     * Returns the correlation id of the message being handled.
     * @return the correlation id of the message being handled
     */
    String correlationId();

    /**
     * Returns the attempt number of this handling, starting at 1.
     * @return the attempt number of this handling, starting at 1
     */
    int attempts();

    /**
     * Sends a reply to whoever invoked this message with a response type. Ignored (logged)
     * when nobody waits for a reply.
     * @param reply the response object
     */
    void respond(Object reply);
}
