package dev.critter.serialization;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A stored or received message that Critter cannot turn into an object: bad input, which is
 * dead-lettered with {@link #reason()} as its exception type, never dropped.
 */
public final class UnreadableMessageException extends RuntimeException {

    /** Why a message could not be read. */
    public enum Reason {
        /** The type name resolves to no registered message type. */
        UNKNOWN_MESSAGE_TYPE,
        /** The body is not JSON of the registered type. */
        UNREADABLE_BODY,
        /** No type name came with the message. */
        MISSING_MESSAGE_TYPE;

        /**
         * Returns the reason code stored as a dead letter's exception type, e.g. {@code unknown-message-type}.
         * @return the reason code stored as a dead letter's exception type, e.g. {@code unknown-message-type}
         */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Why the message could not be read. */
    private final Reason reason;
    /** The type name that came with the message, if any. */
    private final @Nullable String messageType;

    /**
     * Creates the exception.
     * @param reason why
     * @param messageType the type name that came with the message, if any
     * @param message what went wrong, for the dead letter and the log
     */
    public UnreadableMessageException(Reason reason, @Nullable String messageType, String message) {
        this(reason, messageType, message, null);
    }

    /**
     * Creates the exception with its cause.
     * @param reason why
     * @param messageType the type name that came with the message, if any
     * @param message what went wrong, for the dead letter and the log
     * @param cause the mapper's exception
     */
    public UnreadableMessageException(Reason reason, @Nullable String messageType, String message,
                                      @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.messageType = messageType;
    }

    /**
     * Returns why the message could not be read.
     * @return why the message could not be read
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the type name that came with the message, if any.
     * @return the type name that came with the message, if any
     */
    public @Nullable String messageType() {
        return messageType;
    }
}
