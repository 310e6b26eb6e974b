package dev.critter.runtime;

import dev.critter.Envelope;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The logging MDC keys Critter sets while a handler runs, so that every line the handler logs
 * (Spring Boot's structured logging included) names the message. When the attempt ends they are
 * set back to the enclosing attempt's values (an inline {@code invoke} inside a handler), or
 * removed; other MDC entries are never touched.
 */
public final class MessageMdc {

    /** MDC key: the id of the message being handled. */
    public static final String MESSAGE_ID = "critter.message.id";
    /** MDC key: the message type name. */
    public static final String MESSAGE_TYPE = "critter.message.type";
    /** MDC key: the handler, e.g. {@code OrderHandler.handle(PlaceOrder)}. */
    public static final String HANDLER = "critter.handler";
    /** MDC key: the message's tenant id; absent when it has none. */
    public static final String TENANT = "critter.tenant";

    private MessageMdc() {
    }

    /** What {@link #put} returns when no attempt encloses this one: restoring then removes the entries. */
    private static final @Nullable String[] NOTHING = new String[4];

    /** Puts the message's entries and returns what they replaced, for {@link #restore}. */
    static @Nullable String[] put(Envelope envelope, String handler) {
        // Almost always no Critter attempt encloses this one (no message id in the MDC): then there
        // is nothing to save, and three lookups per attempt are saved.
        String enclosingId = MDC.get(MESSAGE_ID);
        @Nullable String[] previous = enclosingId == null ? NOTHING
                : new String[] {enclosingId, MDC.get(MESSAGE_TYPE), MDC.get(HANDLER), MDC.get(TENANT)};
        MDC.put(MESSAGE_ID, envelope.id().toString());
        MDC.put(MESSAGE_TYPE, envelope.messageType());
        MDC.put(HANDLER, handler);
        set(TENANT, envelope.tenantId());
        return previous;
    }

    static void restore(@Nullable String[] previous) {
        set(MESSAGE_ID, previous[0]);
        set(MESSAGE_TYPE, previous[1]);
        set(HANDLER, previous[2]);
        set(TENANT, previous[3]);
    }

    private static void set(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
