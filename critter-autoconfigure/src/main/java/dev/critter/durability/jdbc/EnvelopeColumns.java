package dev.critter.durability.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.serialization.MessageBodies;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.EnvelopeHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The envelope columns every envelope table shares (outgoing, incoming, scheduled, dead letters):
 * one place that writes an {@link Envelope} into them and reads it back, so the tables cannot
 * drift apart. Bodies are the JSON {@link MessageBodies} writes; a row whose body does not read
 * comes back as a {@link RawMessage} with the reason, to be dead-lettered, never dropped.
 */
public final class EnvelopeColumns {

    /** The shared column names, in the order {@link #bind} sets them. */
    public static final String NAMES = "message_type, body, headers, tenant_id, correlation_id, causation_id, "
            + "sent_at, scheduled_at, deliver_by, attempts, source, reply_to, chain_id";

    /** Placeholders for {@link #NAMES}, in the same order. */
    public static final String PLACEHOLDERS = "?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    /** How many parameters {@link #bind} sets. */
    public static final int COUNT = 13;

    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
    };

    private final MessageBodies bodies;
    private final JsonMapper mapper;

    /**
     * Creates the mapping.
     * @param bodies writes and reads message bodies
     * @param mapper writes and reads the headers column
     */
    public EnvelopeColumns(MessageBodies bodies, JsonMapper mapper) {
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * Returns the body codec.
     * @return the body codec
     */
    public MessageBodies bodies() {
        return bodies;
    }

    /**
     * Writes an envelope's body: its JSON, or the kept bytes of a {@link RawMessage}.
     * @param envelope an envelope
     * @return the bytes for the {@code body} column
     */
    public byte[] body(Envelope envelope) {
        return envelope.message() instanceof RawMessage raw ? raw.body() : bodies.write(envelope.message());
    }

    /**
     * Sets the shared columns of an insert, in {@link #NAMES} order.
     * @param statement the insert
     * @param first the index of the first of the {@link #COUNT} parameters
     * @param envelope the envelope
     * @param body its body, from {@link #body(Envelope)} (written once when one envelope goes to several tables)
     * @throws SQLException from the driver
     */
    public void bind(PreparedStatement statement, int first, Envelope envelope, byte[] body) throws SQLException {
        int i = first;
        statement.setString(i++, envelope.messageType());
        statement.setBytes(i++, body);
        statement.setString(i++, envelope.headers().isEmpty() ? null : mapper.writeValueAsString(envelope.headers()));
        statement.setString(i++, envelope.tenantId());
        statement.setString(i++, envelope.correlationId());
        statement.setObject(i++, envelope.causationId(), Types.OTHER);
        statement.setObject(i++, timestamp(envelope.sentAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setObject(i++, timestamp(envelope.scheduledAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setObject(i++, timestamp(envelope.deliverBy()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setInt(i++, envelope.attempts());
        statement.setString(i++, envelope.source());
        statement.setString(i++, envelope.replyTo());
        statement.setString(i, envelope.headers().get(EnvelopeHeaders.CHAIN_ID));
    }

    /**
     * Reads an envelope from a row that has the {@code id} column and the shared columns.
     * @param row the result set, on the row
     * @return the envelope, its message a {@link RawMessage} when the body does not read, and why
     * @throws SQLException from the driver
     */
    public StoredEnvelope read(ResultSet row) throws SQLException {
        String messageType = row.getString("message_type");
        byte[] body = row.getBytes("body");
        Object message;
        UnreadableMessageException unreadable = null;
        try {
            message = bodies.read(messageType, body);
        } catch (UnreadableMessageException ex) {
            message = new RawMessage(messageType, body, ex);
            unreadable = ex;
        }
        String headers = row.getString("headers");
        Map<String, String> headerMap = headers == null ? Map.of() : mapper.readValue(headers, HEADERS);
        Envelope envelope = Envelope.builder()
                .id(row.getObject("id", UUID.class))
                .messageType(messageType)
                .message(message)
                .headers(headerMap)
                .tenantId(row.getString("tenant_id"))
                .correlationId(row.getString("correlation_id"))
                .causationId(row.getObject("causation_id", UUID.class))
                .sentAt(Objects.requireNonNull(instant(row, "sent_at")))
                .scheduledAt(instant(row, "scheduled_at"))
                .deliverBy(instant(row, "deliver_by"))
                .attempts(row.getInt("attempts"))
                .source(row.getString("source"))
                .replyTo(row.getString("reply_to"))
                .build();
        return new StoredEnvelope(envelope, unreadable);
    }

    /**
     * Converts an instant for a {@code timestamptz} parameter.
     * @param instant an instant, or null
     * @return the same instant at UTC, or null
     */
    public static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Reads a {@code timestamptz} column.
     * @param row the result set, on the row
     * @param column the column
     * @return the instant, or null
     * @throws SQLException from the driver
     */
    public static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * An envelope read from a table.
     * @param envelope the envelope; its message is a {@link RawMessage} when {@code unreadable} is set
     * @param unreadable why its body did not read, or null
     */
    public record StoredEnvelope(Envelope envelope, @Nullable UnreadableMessageException unreadable) {
    }
}
