package dev.critter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.critter.Envelope;
import dev.critter.serialization.MessageBodies;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;

import org.jspecify.annotations.Nullable;

/**
 * Envelopes as AMQP messages (SPEC §12): a JSON body and the envelope's fields in AMQP
 * properties and {@code critter-*} headers; other envelope headers travel as they are.
 * Incoming type names resolve only through the registry of known message types.
 */
final class RabbitWireFormat {

    static final String CONTENT_TYPE = "application/json";
    static final String ID = "critter-id";
    static final String MESSAGE_TYPE = "critter-message-type";
    static final String CORRELATION_ID = "critter-correlation-id";
    static final String CAUSATION_ID = "critter-causation-id";
    static final String TENANT_ID = "critter-tenant-id";
    static final String SENT_AT = "critter-sent-at";
    static final String ATTEMPTS = "critter-attempts";
    static final String REPLY_TO = "critter-reply-to";
    static final String TRACEPARENT = "traceparent";
    static final String EXCEPTION_TYPE = "critter-exception-type";
    static final String EXCEPTION_MESSAGE = "critter-exception-message";
    static final String FAILED_AT = "critter-failed-at";
    static final String ORIGINAL_QUEUE = "critter-original-queue";

    private static final int PERSISTENT = 2;

    private final MessageBodies bodies;

    RabbitWireFormat(MessageBodies bodies) {
        this.bodies = bodies;
    }

    /** An AMQP message ready to publish. */
    record Outgoing(AMQP.BasicProperties properties, byte[] body) {
    }

    Outgoing write(Envelope envelope) {
        byte[] body = bodies.write(envelope.message());
        Map<String, Object> headers = new HashMap<>();
        // Application headers first, so Critter's own names always carry Critter's values.
        headers.putAll(envelope.headers());
        headers.put(ID, envelope.id().toString());
        headers.put(MESSAGE_TYPE, envelope.messageType());
        headers.put(CORRELATION_ID, envelope.correlationId());
        putIfPresent(headers, CAUSATION_ID, envelope.causationId());
        putIfPresent(headers, TENANT_ID, envelope.tenantId());
        headers.put(SENT_AT, envelope.sentAt().toString());
        headers.put(ATTEMPTS, Integer.toString(envelope.attempts()));
        putIfPresent(headers, REPLY_TO, envelope.replyTo());
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId(envelope.id().toString())
                .correlationId(envelope.correlationId())
                .type(envelope.messageType())
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .headers(headers)
                .build();
        return new Outgoing(properties, body);
    }

    /**
     * Reads a delivery as an envelope.
     * @param properties the delivery's properties
     * @param body its body
     * @param defaultType the listener's type for deliveries without one, or null
     * @param source the address it came from
     * @return the envelope
     * @throws UnreadableMessageException when the type is missing or unknown or the body does not read as it
     */
    Envelope read(AMQP.BasicProperties properties, byte[] body, @Nullable String defaultType, String source) {
        Map<String, String> headers = textHeaders(properties.getHeaders());
        String type = firstOf(headers.get(MESSAGE_TYPE), properties.getType(), defaultType);
        if (type == null || type.isBlank()) {
            throw new UnreadableMessageException(UnreadableMessageException.Reason.MISSING_MESSAGE_TYPE, null,
                    "The delivery has no " + MESSAGE_TYPE + " header, no AMQP type property, and its listener no default type");
        }
        Object message = bodies.read(type, body);
        Envelope.Builder builder = Envelope.builder()
                .id(idOf(headers.get(ID), properties.getMessageId()))
                .messageType(type)
                .message(message)
                .correlationId(firstOf(headers.get(CORRELATION_ID), properties.getCorrelationId(), null))
                .tenantId(headers.get(TENANT_ID))
                .replyTo(headers.get(REPLY_TO))
                .source(source)
                .sentAt(instantOf(headers.get(SENT_AT), properties));
        String causation = headers.get(CAUSATION_ID);
        if (causation != null) {
            builder.causationId(uuidOrNull(causation));
        }
        String attempts = headers.get(ATTEMPTS);
        if (attempts != null) {
            try {
                builder.attempts(Math.max(0, Integer.parseInt(attempts)));
            } catch (NumberFormatException ignored) {
                // A foreign value is not worth dead-lettering a readable message for.
            }
        }
        Map<String, String> rest = new HashMap<>(headers);
        for (String own : new String[] {ID, MESSAGE_TYPE, CORRELATION_ID, CAUSATION_ID, TENANT_ID, SENT_AT, ATTEMPTS,
                REPLY_TO}) {
            rest.remove(own);
        }
        return builder.headers(rest).build();
    }

    /**
     * Reads a delivery as an envelope, keeping bad input: a delivery that does not read comes back
     * with its exact bytes as a {@link RawMessage} (and the reason), its id and other fields taken
     * from the headers, so a durable listener stores it and the pipeline dead-letters it.
     * @param properties the delivery's properties
     * @param body its body
     * @param defaultType the listener's type for deliveries without one, or null
     * @param source the address it came from
     * @return the envelope, its message a {@link RawMessage} when it does not read
     */
    Envelope readKeepingBadInput(AMQP.BasicProperties properties, byte[] body, @Nullable String defaultType,
                                 String source) {
        try {
            return read(properties, body, defaultType, source);
        } catch (RuntimeException ex) {
            Map<String, String> headers = textHeaders(properties.getHeaders());
            String named = firstOf(headers.get(MESSAGE_TYPE), properties.getType(), defaultType);
            String type = named == null ? "" : named;
            UnreadableMessageException problem = ex instanceof UnreadableMessageException unreadable ? unreadable
                    : new UnreadableMessageException(UnreadableMessageException.Reason.UNREADABLE_BODY, type,
                            "The delivery does not read: " + ex, ex);
            return Envelope.builder()
                    .id(idOf(headers.get(ID), properties.getMessageId()))
                    .messageType(type)
                    .message(new RawMessage(type, body, problem))
                    .correlationId(firstOf(headers.get(CORRELATION_ID), properties.getCorrelationId(), null))
                    .source(source)
                    .sentAt(instantOf(headers.get(SENT_AT), properties))
                    .build();
        }
    }

    /**
     * Returns the type name a delivery names, for dead-letter reports.
     * @param properties the delivery's properties
     * @return the type name, or empty
     */
    static String typeNamed(AMQP.BasicProperties properties) {
        Object header = properties.getHeaders() == null ? null : properties.getHeaders().get(MESSAGE_TYPE);
        String type = firstOf(header == null ? null : header.toString(), properties.getType(), null);
        return type == null ? "" : type;
    }

    private static Map<String, String> textHeaders(@Nullable Map<String, Object> raw) {
        Map<String, String> headers = new HashMap<>();
        if (raw != null) {
            raw.forEach((name, value) -> {
                if (value instanceof LongString || value instanceof String || value instanceof Number
                        || value instanceof Boolean) {
                    headers.put(name, value.toString());
                } else if (value instanceof byte[] bytes) {
                    headers.put(name, new String(bytes, StandardCharsets.UTF_8));
                }
                // Tables and arrays (x-death, say) are the broker's bookkeeping, not envelope headers.
            });
        }
        return headers;
    }

    private static UUID idOf(@Nullable String header, @Nullable String messageId) {
        String text = firstOf(header, messageId, null);
        if (text == null) {
            return randomId();
        }
        UUID parsed = uuidOrNull(text);
        // A foreign message id that is no UUID still gives the same envelope id on every redelivery.
        return parsed != null ? parsed : UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A random (version 4) UUID from the thread's own generator: an id for a foreign message that
     * brings none needs to be unique, not unguessable, and {@code UUID.randomUUID()} would take
     * the shared {@code SecureRandom}'s lock for every such delivery.
     */
    private static UUID randomId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static @Nullable UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static Instant instantOf(@Nullable String header, AMQP.BasicProperties properties) {
        if (header != null) {
            try {
                return Instant.parse(header);
            } catch (DateTimeParseException ignored) {
                // Fall through to the AMQP timestamp or the time of receipt.
            }
        }
        return properties.getTimestamp() != null ? properties.getTimestamp().toInstant() : Instant.now();
    }

    private static @Nullable String firstOf(@Nullable String a, @Nullable String b, @Nullable String c) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return c;
    }

    private static void putIfPresent(Map<String, Object> headers, String name, @Nullable Object value) {
        if (value != null) {
            headers.put(name, value.toString());
        }
    }
}
