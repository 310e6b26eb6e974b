package dev.critter.durability.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.deadletter.StackTraces;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A dead letter as a row of {@code critter_dead_letters}: the columns, the insert and the mapping
 * back. The envelope goes into the shared {@link EnvelopeColumns} (its id as {@code message_id});
 * the dead letter's own id is {@code id}.
 */
final class DeadLetterRows {

    /** The longest exception message kept, in characters. */
    static final int MAX_MESSAGE_CHARS = 4_000;

    private static final Log logger = LogFactory.getLog(DeadLetterRows.class);

    /** Columns written before the envelope's, in the order {@link #bind} sets them. */
    private static final String OWN_COLUMNS = "id, message_id, destination, exception_type, exception_message, "
            + "stack_trace, failed_at";

    private static final int OWN_COUNT = 7;

    /** Where {@code chain_id} is among the parameters {@link #bind} sets, from 1. */
    private static final int CHAIN_ID_PARAMETER = OWN_COUNT + 1
            + Arrays.asList(EnvelopeColumns.NAMES.split(",\\s*")).indexOf("chain_id");

    /**
     * What a select or {@code RETURNING} lists, for table alias {@code d}: the envelope id under the
     * name {@code id} that {@link EnvelopeColumns#read} reads, the dead letter's id as {@code dead_letter_id}.
     * Since an output column is called {@code id}, {@code ORDER BY} must name {@code d.id}, never {@code id}.
     */
    static final String SELECTED = "d.id AS dead_letter_id, d.message_id AS id, d.destination, d.exception_type, "
            + "d.exception_message, d.stack_trace, d.failed_at, " + EnvelopeColumns.NAMES;

    private final EnvelopeColumns columns;
    private final String insert;

    DeadLetterRows(EnvelopeColumns columns, String table) {
        if (CHAIN_ID_PARAMETER <= OWN_COUNT) {
            throw new IllegalStateException("EnvelopeColumns.NAMES lacks chain_id: " + EnvelopeColumns.NAMES);
        }
        this.columns = columns;
        this.insert = "INSERT INTO " + table + " (" + OWN_COLUMNS + ", " + EnvelopeColumns.NAMES + ")\n"
                + "VALUES (?, ?, ?, ?, ?, ?, ?, " + EnvelopeColumns.PLACEHOLDERS + ")\n"
                + "ON CONFLICT (id) DO NOTHING";
    }

    /**
     * Returns the insert of one dead letter, for {@link #bind}.
     * @return the insert of one dead letter, for {@link #bind}
     */
    String insert() {
        return insert;
    }

    /** Sets the parameters of {@link #insert()}. */
    void bind(PreparedStatement statement, DeadLetter letter) throws SQLException {
        Envelope envelope = withoutNul(letter.envelope());
        int i = 1;
        statement.setObject(i++, letter.id(), Types.OTHER);
        statement.setObject(i++, envelope.id(), Types.OTHER);
        statement.setString(i++, text(letter.destination()));
        statement.setString(i++, text(letter.exceptionType()));
        statement.setString(i++, text(shorten(letter.exceptionMessage())));
        statement.setString(i++, text(StackTraces.shorten(letter.stackTrace())));
        // timestamptz keeps microseconds; truncated here rather than rounded by the server, so a
        // page boundary or filter taken from a listed dead letter means the same instant.
        statement.setObject(i++, EnvelopeColumns.timestamp(letter.failedAt().truncatedTo(ChronoUnit.MICROS)),
                Types.TIMESTAMP_WITH_TIMEZONE);
        columns.bind(statement, i, envelope, body(letter));
        // The chain that failed, which a first delivery's envelope does not name in its headers.
        statement.setString(CHAIN_ID_PARAMETER, letter.handler());
    }

    /** Reads a row selected with {@link #SELECTED}. */
    DeadLetter read(ResultSet row) throws SQLException {
        EnvelopeColumns.StoredEnvelope stored = columns.read(row);
        return new DeadLetter(row.getObject("dead_letter_id", UUID.class), stored.envelope(),
                row.getString("destination"), row.getString("chain_id"), row.getString("exception_type"),
                row.getString("exception_message"), row.getString("stack_trace"),
                Objects.requireNonNull(EnvelopeColumns.instant(row, "failed_at")));
    }

    /**
     * The body: JSON, or the kept bytes of a raw message. A message the JSON mapper cannot write
     * (a class with no properties, say) is still kept, as its {@code toString()}: a dead letter is
     * the last place a failed message is kept, so it must never be refused. It reads back as an
     * unreadable body, to inspect and discard.
     */
    private byte[] body(DeadLetter letter) {
        try {
            return columns.body(letter.envelope());
        } catch (IllegalArgumentException ex) {
            logger.warn("Dead letter " + letter.id() + ": " + ex.getMessage() + "; its message is stored as its "
                    + "toString() and cannot be replayed");
            return String.valueOf(letter.envelope().message()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "... (shortened by Critter)";
    }

    /**
     * The envelope with NUL replaced in its text fields and headers: {@code text} and {@code jsonb}
     * refuse it, and a refused insert would lose the message (bad input can carry NUL anywhere).
     */
    private static Envelope withoutNul(Envelope envelope) {
        boolean headersHaveNul = envelope.headers().entrySet().stream()
                .anyMatch(header -> hasNul(header.getKey()) || hasNul(header.getValue()));
        if (!headersHaveNul && !hasNul(envelope.messageType()) && !hasNul(envelope.tenantId())
                && !hasNul(envelope.correlationId()) && !hasNul(envelope.source()) && !hasNul(envelope.replyTo())) {
            return envelope;
        }
        Envelope.Builder builder = envelope.toBuilder().messageType(text(envelope.messageType()))
                .tenantId(nullableText(envelope.tenantId())).correlationId(nullableText(envelope.correlationId()))
                .source(nullableText(envelope.source())).replyTo(nullableText(envelope.replyTo()));
        for (Map.Entry<String, String> header : envelope.headers().entrySet()) {
            if (hasNul(header.getKey()) || hasNul(header.getValue())) {
                builder.header(header.getKey(), null).header(text(header.getKey()), text(header.getValue()));
            }
        }
        return builder.build();
    }

    private static boolean hasNul(@Nullable String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    private static @Nullable String nullableText(@Nullable String value) {
        return value == null ? null : text(value);
    }

    /** PostgreSQL text cannot hold NUL, which bad input can bring into an exception message. */
    private static String text(String value) {
        return value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }
}
