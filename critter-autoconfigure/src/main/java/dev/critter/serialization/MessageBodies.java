package dev.critter.serialization;

import java.util.Objects;

import dev.critter.handler.MessageTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes message bodies as JSON with the application's Jackson 3 {@link JsonMapper}, and reads
 * them back only as a type registered under the stored message type name (SPEC §12): a stored or
 * received type name is never turned into a class by {@code Class.forName}.
 */
public final class MessageBodies {

    private final JsonMapper mapper;
    private final MessageTypes types;

    /**
     * Creates the codec.
     * @param mapper the application's mapper (Boot's auto-configured one, with its modules and settings)
     * @param types the registry of known message types, filled by handler discovery and by {@link #write}
     */
    public MessageBodies(JsonMapper mapper, MessageTypes types) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.types = Objects.requireNonNull(types, "types");
    }

    /**
     * Writes a message as JSON, registering its class so its type name reads back in this process.
     * @param message a message
     * @return its JSON bytes (UTF-8)
     * @throws IllegalArgumentException when the mapper cannot write it, naming the class and why
     */
    public byte[] write(Object message) {
        types.register(message.getClass());
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JacksonException ex) {
            throw new IllegalArgumentException("Critter cannot write " + message.getClass().getName()
                    + " as JSON for a durable store or the wire: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Reads a stored or received body as the registered type of its name.
     * @param messageType the message type name stored with the body
     * @param body the JSON bytes
     * @return the message
     * @throws UnreadableMessageException when the type is unknown or the body does not read as it
     */
    public Object read(String messageType, byte[] body) {
        Class<?> type = types.resolve(messageType).orElseThrow(() -> new UnreadableMessageException(
                UnreadableMessageException.Reason.UNKNOWN_MESSAGE_TYPE, messageType,
                "No handler or publishing rule in this application knows the message type '" + messageType + "'"));
        try {
            return mapper.readValue(body, type);
        } catch (JacksonException ex) {
            throw new UnreadableMessageException(UnreadableMessageException.Reason.UNREADABLE_BODY, messageType,
                    "The body of a '" + messageType + "' message does not read as " + type.getName() + ": "
                            + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Returns the registry this codec resolves names through.
     * @return the registry this codec resolves names through
     */
    public MessageTypes types() {
        return types;
    }
}
