package dev.critter.runtime;

import dev.critter.MessageContext;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context propagation carry the current message context (and so its tenant,
 * correlation and the bus behaving as that handler's context) across executor hops: an
 * {@code @Async} method or a task on an executor decorated with Spring's
 * {@code ContextPropagatingTaskDecorator} sees the handler's context. Registered through
 * {@code META-INF/services}, so it is active whenever {@code io.micrometer:context-propagation}
 * is on the class path.
 */
public final class MessageContextAccessor implements ThreadLocalAccessor<MessageContext> {

    /** The key the context is captured under. */
    public static final String KEY = "critter.message-context";

    /** Used by the {@link java.util.ServiceLoader}. */
    public MessageContextAccessor() {
    }

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public @Nullable MessageContext getValue() {
        return CurrentContext.get();
    }

    @Override
    public void setValue(MessageContext value) {
        // Only Critter's own contexts are ever captured, so the cast cannot fail.
        CurrentContext.slot().context = (DefaultMessageContext) value;
    }

    @Override
    public void setValue() {
        CurrentContext.slot().context = null;
    }
}
