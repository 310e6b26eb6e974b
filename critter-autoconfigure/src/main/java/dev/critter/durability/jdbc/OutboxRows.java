package dev.critter.durability.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.Destination;
import dev.critter.transport.Outbox;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements on {@code critter_outgoing_envelopes}: the multi-row insert of a committing
 * transaction, the relay's claims and the batched deletes of accepted rows. Every value is bound; the table name comes from the validated schema.
 */
final class OutboxRows {

    /** Columns the relay reads back, besides the shared envelope columns. */
    private static final String READ = "id, destination, sequence_number, send_attempts, " + EnvelopeColumns.NAMES;

    /** PostgreSQL binds at most 65,535 parameters per statement. */
    private static final int MOST_PARAMETERS = 65_535;

    private static final int PARAMETERS_PER_ROW = 3 + EnvelopeColumns.COUNT;

    private final EnvelopeColumns columns;
    private final String table;
    private final int rowsPerInsert;
    private final String claimUnowned;
    private final String leftBehind;
    private final String fetch;
    private final String delete;
    private final String countFailure;
    private final Map<Integer, String> inserts = new HashMap<>();

    OutboxRows(JdbcSchema schema, EnvelopeColumns columns, int batchSize) {
        this.columns = columns;
        this.table = schema.table("critter_outgoing_envelopes");
        this.rowsPerInsert = Math.min(batchSize, MOST_PARAMETERS / PARAMETERS_PER_ROW);
        // One statement claims: rows nobody owns, of destinations this node has, oldest first;
        // rows another node is claiming right now are skipped, never waited for.
        this.claimUnowned = """
                UPDATE %1$s SET owner_node_id = ?
                WHERE (id, destination) IN (
                    SELECT id, destination FROM %1$s
                    WHERE owner_node_id IS NULL AND destination = ANY (?)
                    ORDER BY sequence_number
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING %2$s""".formatted(table, READ);
        // This node's own rows that its after-commit send did not get accepted (they are past
        // the grace period and not in flight, which the caller checks).
        this.leftBehind = """
                SELECT id, destination FROM %s
                WHERE owner_node_id = ? AND destination = ANY (?) AND stored_at < now() - make_interval(secs => ?)
                ORDER BY sequence_number
                LIMIT ?""".formatted(table);
        this.fetch = """
                SELECT %2$s FROM %1$s o
                JOIN unnest(?::uuid[], ?::text[]) AS d (id, destination) ON o.id = d.id AND o.destination = d.destination
                WHERE o.owner_node_id = ?""".formatted(table, READ.replace("id, destination,", "o.id, o.destination,"));
        this.delete = """
                DELETE FROM %s o
                USING unnest(?::uuid[], ?::text[]) AS d (id, destination)
                WHERE o.id = d.id AND o.destination = d.destination""".formatted(table);
        this.countFailure = """
                UPDATE %s o SET send_attempts = o.send_attempts + 1
                FROM unnest(?::uuid[], ?::text[]) AS d (id, destination)
                WHERE o.id = d.id AND o.destination = d.destination""".formatted(table);
    }

    /**
     * Inserts the entries in the caller's transaction: multi-row statements of up to the batch
     * size, so a transaction publishing a hundred messages makes one round trip, not a hundred.
     */
    void insert(JdbcTemplate jdbc, UUID owner, List<Outbox.Outgoing> outgoing) {
        // One body per envelope, however many destinations it goes to.
        Map<Envelope, byte[]> bodies = new java.util.IdentityHashMap<>();
        for (int from = 0; from < outgoing.size(); from += rowsPerInsert) {
            List<Outbox.Outgoing> chunk = outgoing.subList(from, Math.min(outgoing.size(), from + rowsPerInsert));
            jdbc.update(insertOf(chunk.size()), statement -> {
                int i = 1;
                for (Outbox.Outgoing row : chunk) {
                    Envelope envelope = row.envelope();
                    statement.setObject(i++, envelope.id());
                    statement.setString(i++, row.destination().toString());
                    statement.setObject(i++, owner);
                    columns.bind(statement, i, envelope, bodies.computeIfAbsent(envelope, columns::body));
                    i += EnvelopeColumns.COUNT;
                }
            });
        }
    }

    private String insertOf(int rows) {
        synchronized (inserts) {
            return inserts.computeIfAbsent(rows, n -> {
                StringBuilder sql = new StringBuilder("INSERT INTO ").append(table)
                        .append(" (id, destination, owner_node_id, ").append(EnvelopeColumns.NAMES).append(") VALUES ");
                for (int r = 0; r < n; r++) {
                    sql.append(r == 0 ? "" : ", ").append("(?, ?, ?, ").append(EnvelopeColumns.PLACEHOLDERS).append(')');
                }
                return sql.toString();
            });
        }
    }

    List<StoredRow> claimUnowned(JdbcTemplate jdbc, UUID owner, Collection<String> destinations, int limit) {
        return jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(claimUnowned)) {
                statement.setObject(1, owner);
                statement.setArray(2, connection.createArrayOf("text", destinations.toArray()));
                statement.setInt(3, limit);
                return read(statement);
            }
        });
    }

    /** The keys of this node's rows older than the grace period, oldest first (the caller skips those in flight). */
    List<RowKey> leftBehind(JdbcTemplate jdbc, UUID owner, Collection<String> destinations, double graceSeconds,
                            int limit) {
        return jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(leftBehind)) {
                statement.setObject(1, owner);
                statement.setArray(2, connection.createArrayOf("text", destinations.toArray()));
                statement.setDouble(3, graceSeconds);
                statement.setInt(4, limit);
                List<RowKey> keys = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        keys.add(new RowKey(row.getObject("id", UUID.class), row.getString("destination")));
                    }
                }
                return keys;
            }
        });
    }

    /**
     * Reads rows of this node by key, in a statement of its own: a row whose delete committed
     * since the keys were listed is not returned (a send that finished meanwhile is not repeated).
     */
    List<StoredRow> fetch(JdbcTemplate jdbc, UUID owner, List<RowKey> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return jdbc.execute((Connection connection) -> {
            UUID[] ids = new UUID[keys.size()];
            String[] destinations = new String[keys.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = keys.get(i).id();
                destinations[i] = keys.get(i).destination();
            }
            try (PreparedStatement statement = connection.prepareStatement(fetch)) {
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                statement.setArray(2, connection.createArrayOf("text", destinations));
                statement.setObject(3, owner);
                return read(statement);
            }
        });
    }

    private List<StoredRow> read(PreparedStatement statement) throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                rows.add(new StoredRow(envelope(row), Destination.parse(row.getString("destination")),
                        row.getLong("sequence_number"), row.getInt("send_attempts")));
            }
        }
        rows.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
        return rows;
    }

    /**
     * Reads a row's envelope. A row whose columns do not even read as an envelope (headers that are
     * not a map of strings: written by hand or by another release) still comes back, as a
     * {@link RawMessage} with its bytes, so the relay dead-letters it: thrown, it would fail every
     * pass and hold back every row behind it.
     */
    private Envelope envelope(ResultSet row) throws SQLException {
        try {
            return columns.read(row).envelope();
        } catch (RuntimeException ex) {
            UUID id = row.getObject("id", UUID.class);
            String type = row.getString("message_type");
            UnreadableMessageException problem = new UnreadableMessageException(
                    UnreadableMessageException.Reason.UNREADABLE_BODY, type, "Outbox row " + id + " for "
                    + row.getString("destination") + " does not read: " + ex.getMessage(), ex);
            Instant sentAt = EnvelopeColumns.instant(row, "sent_at");
            return Envelope.builder().id(id).messageType(type).message(new RawMessage(type, row.getBytes("body"), problem))
                    .sentAt(sentAt != null ? sentAt : Instant.now()).attempts(row.getInt("attempts")).build();
        }
    }

    /** Deletes rows whose destination accepted them: one statement, its own commit. */
    void delete(JdbcTemplate jdbc, List<RowKey> keys) {
        byKeys(jdbc, delete, keys);
    }

    /** Counts one more failed send for each row. */
    void countFailure(JdbcTemplate jdbc, List<RowKey> keys) {
        byKeys(jdbc, countFailure, keys);
    }

    private static void byKeys(JdbcTemplate jdbc, String sql, List<RowKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            UUID[] ids = new UUID[keys.size()];
            String[] destinations = new String[keys.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = keys.get(i).id();
                destinations[i] = keys.get(i).destination();
            }
            Array idArray = connection.createArrayOf("uuid", ids);
            Array destinationArray = connection.createArrayOf("text", destinations);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setArray(1, idArray);
                statement.setArray(2, destinationArray);
                return statement.executeUpdate();
            } finally {
                idArray.free();
                destinationArray.free();
            }
        });
    }

    /**
     * A row's key.
     * @param id the envelope id
     * @param destination the destination's text form
     */
    record RowKey(UUID id, String destination) {

        static RowKey of(Outbox.Outgoing outgoing) {
            return new RowKey(outgoing.envelope().id(), outgoing.destination().toString());
        }
    }

    /**
     * A row as the relay read it.
     * @param envelope the envelope ({@code RawMessage} body when it no longer reads)
     * @param destination where it goes
     * @param sequenceNumber its insertion order
     * @param sendAttempts failed sends so far
     */
    record StoredRow(Envelope envelope, Destination destination, long sequenceNumber, int sendAttempts) {

        RowKey key() {
            return new RowKey(envelope.id(), destination.toString());
        }
    }
}
