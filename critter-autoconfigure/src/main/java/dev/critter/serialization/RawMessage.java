package dev.critter.serialization;

import java.nio.charset.StandardCharsets;

/**
 * The message of an envelope whose body could not be read (unknown type, not JSON of its type):
 * its exact bytes, kept so a dead letter loses nothing and can be inspected or replayed once
 * the type is known.
 * @param messageType the type name that came with it, or empty
 * @param body its bytes, as stored or received
 */
public record RawMessage(String messageType, byte[] body) {

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
