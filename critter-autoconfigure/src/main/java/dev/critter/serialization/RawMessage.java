package dev.critter.serialization;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The message of an envelope whose body could not be read (unknown type, not JSON of its type):
 * its exact bytes, kept so a dead letter loses nothing and can be inspected or replayed once
 * the type is known. Handed to the handling pipeline like any message, it is dead-lettered with
 * the {@linkplain UnreadableMessageException.Reason#code() reason code} as its exception type.
 * @param messageType the type name that came with it, or empty
 * @param body its bytes, as stored or received
 * @param problem why it could not be read, or null when whoever read it did not say (the pipeline
 *                then tells an unknown type from an unreadable body through the registry of known types)
 */
public record RawMessage(String messageType, byte[] body, @Nullable UnreadableMessageException problem) {

    /**
     * The kept bytes of a message, without saying why they did not read.
     * @param messageType the type name that came with it, or empty
     * @param body its bytes, as stored or received
     */
    public RawMessage(String messageType, byte[] body) {
        this(messageType, body, null);
    }

    /**
     * Returns the body as UTF-8 text, for display.
     * @return the body as UTF-8 text, for display
     */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RawMessage[" + messageType + ", " + body.length + " bytes]";
    }
}
