package dev.critter.durability.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.critter.Envelope;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.Destination;
import dev.critter.transport.Inbox;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements of the inbox ({@code critter_incoming_envelopes}, {@code critter_handled_messages},
 * {@code critter_partition_owners}): multi-row inserts that leave duplicates out, claims in one
 * statement, finishes in batches. Every statement joins the caller's transaction.
 *
 * <p>Handled ids are kept per destination and, for a copy meant for one chain (a requeue, a
 * replay, a transactional handler's own mark), per chain: {@code destination} is then
 * {@code <address>#<chain id>} (addresses never contain {@code #}).
 */
final class InboxRows {

    /** The identity of an inbox row. */
    record Key(UUID id, String destination) {
    }

    private static final String RETURNED = "id, sequence_number, " + EnvelopeColumns.NAMES;

    /** The handled key of a row: its destination, or destination#chain for a copy meant for one chain. */
    private static final String HANDLED_KEY_OF_ROW =
            "CASE WHEN i.chain_id IS NULL THEN i.destination ELSE i.destination || '#' || i.chain_id END";

    private final EnvelopeColumns columns;
    private final UUID self;
    private final String incoming;
    private final String handled;
    private final String slots;
    private final String mark;
    private final String claimUnordered;
    private final String releaseRows;
    private final String releaseSlots;
    private final String claimSlots;
    private final String ownedSlots;

    InboxRows(JdbcSchema schema, EnvelopeColumns columns, UUID self) {
        this.columns = columns;
        this.self = self;
        this.incoming = schema.table("critter_incoming_envelopes");
        this.handled = schema.table("critter_handled_messages");
        this.slots = schema.table("critter_partition_owners");
        this.mark = "INSERT INTO " + handled + " (message_id, destination) VALUES (?, ?) ON CONFLICT DO NOTHING";
        this.claimUnordered = """
                UPDATE %s SET owner_node_id = ?
                WHERE (id, destination) IN (
                    SELECT id, destination FROM %s
                    WHERE owner_node_id IS NULL AND destination = ? AND status = 'queued' AND partition_slot IS NULL
                    ORDER BY sequence_number
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING %s""".formatted(incoming, incoming, RETURNED);
        this.releaseRows = "UPDATE " + incoming + " SET owner_node_id = NULL "
                + "WHERE owner_node_id = ? AND destination = ? AND status = 'queued' AND id <> ALL (?)";
        this.releaseSlots = "DELETE FROM " + slots + " WHERE destination = ? AND owner_node_id = ?";
        this.claimSlots = "INSERT INTO " + slots + " (destination, partition_slot, owner_node_id) "
                + "SELECT ?, s, ? FROM generate_series(0, ? - 1) AS s ON CONFLICT DO NOTHING";
        this.ownedSlots = "SELECT partition_slot FROM " + slots + " WHERE destination = ? AND owner_node_id = ?";
    }

    /**
     * The key a handled mark is kept under.
     * @param destination where it was handled
     * @param chainId the one chain it was meant for or handled by, or null for all
     */
    static String handledKey(Destination destination, @Nullable String chainId) {
        return chainId == null ? destination.toString() : destination + RECEIVED_SUFFIX + chainId;
    }

    /**
     * Ends the key of a chain's mark, and alone after the destination is the mark of a delivery
     * sent on to a scheduled retry: its envelope, arriving again, is a duplicate, while the retry
     * (which names its chain) is not. No chain id is empty, so the two never meet.
     */
    static final String RECEIVED_SUFFIX = "#";

    /** What a scheduled retry replaces in the row its first delivery left: all but the key and the order. */
    private static final String RETRY_TAKES_OVER = "owner_node_id = EXCLUDED.owner_node_id, "
            + "partition_key = EXCLUDED.partition_key, partition_slot = EXCLUDED.partition_slot, "
            + Arrays.stream(EnvelopeColumns.NAMES.split(", ")).map(name -> name + " = EXCLUDED." + name)
                    .collect(Collectors.joining(", "));

    /** One row of the insert, every value cast so that PostgreSQL types a VALUES list it filters. */
    private static final String TYPED_ROW = "(?::uuid, ?::text, ?::uuid, ?::text, ?::integer, ?::text, ?::bytea, "
            + "?::jsonb, ?::text, ?::text, ?::uuid, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::integer, ?::text, "
            + "?::text, ?::text)";

    /**
     * Inserts the entries in one statement, leaving out rows already there (the same id for the
     * same destination) and ids already handled there within the retention window.
     * @return the keys stored
     */
    Set<Key> insert(JdbcTemplate jdbc, List<Inbox.Entry> entries) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(incoming)
                .append(" (id, destination, owner_node_id, partition_key, partition_slot, ")
                .append(EnvelopeColumns.NAMES).append(")\nSELECT v.* FROM (VALUES ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(TYPED_ROW);
        }
        sql.append(") AS v (id, destination, owner_node_id, partition_key, partition_slot, ")
                .append(EnvelopeColumns.NAMES).append(")\nWHERE NOT EXISTS (SELECT 1 FROM ").append(handled)
                .append(" h WHERE h.message_id = v.id AND (h.destination = ")
                .append(HANDLED_KEY_OF_ROW.replace("i.", "v."))
                // The whole message (no chain named) was received here before if any mark under
                // this destination exists: its first delivery ended and a retry, which names its
                // chain, was handled or is on its way (RECEIVED_SUFFIX).
                .append(" OR (v.chain_id IS NULL AND starts_with(h.destination, v.destination || '")
                .append(RECEIVED_SUFFIX).append("'))))")
                // A scheduled retry comes back with the message's id and more attempts while the
                // first delivery's row may still be there (its delete is batched): it takes that
                // row over. The same envelope again (same attempts) is a duplicate and is left out.
                .append("\nON CONFLICT (id, destination) DO UPDATE SET ").append(RETRY_TAKES_OVER)
                .append("\nWHERE ").append(incoming).append(".attempts < EXCLUDED.attempts")
                .append("\nRETURNING id, destination");
        List<Key> inserted = jdbc.query((Connection connection) -> {
            PreparedStatement statement = connection.prepareStatement(sql.toString());
            int p = 1;
            for (Inbox.Entry entry : entries) {
                Envelope envelope = entry.envelope();
                statement.setObject(p++, envelope.id(), Types.OTHER);
                statement.setString(p++, entry.destination().toString());
                statement.setObject(p++, entry.owned() ? self : null, Types.OTHER);
                statement.setString(p++, entry.partitionKey());
                if (entry.slot() == null) {
                    statement.setNull(p++, Types.INTEGER);
                } else {
                    statement.setInt(p++, entry.slot());
                }
                columns.bind(statement, p, envelope, columns.body(envelope));
                p += EnvelopeColumns.COUNT;
            }
            return statement;
        }, (row, n) -> new Key(row.getObject("id", UUID.class), row.getString("destination")));
        return new HashSet<>(inserted);
    }

    boolean mark(JdbcTemplate jdbc, UUID id, String handledKey) {
        return jdbc.update(mark, ps -> {
            ps.setObject(1, id, Types.OTHER);
            ps.setString(2, handledKey);
        }) == 1;
    }

    /**
     * Keeps the ids of deliveries sent on to a scheduled retry as received here, one statement per
     * destination, so the same envelope arriving again (a relay's resend after a crash) is left out
     * while the retry comes back, and after the retry was handled under its chain's key.
     * @param received the ids of such deliveries per destination
     */
    void received(JdbcTemplate jdbc, Map<String, List<UUID>> received) {
        String sql = "INSERT INTO " + handled + " (message_id, destination) SELECT unnest(?::uuid[]), ? "
                + "ON CONFLICT DO NOTHING";
        for (Map.Entry<String, List<UUID>> destination : received.entrySet()) {
            Object[] ids = destination.getValue().toArray();
            jdbc.update(connection -> {
                PreparedStatement statement = connection.prepareStatement(sql);
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                statement.setString(2, destination.getKey() + RECEIVED_SUFFIX);
                return statement;
            });
        }
    }

    /**
     * Deletes the rows of handled envelopes and keeps their ids, one statement per destination.
     * The handled key comes from the envelope that was handled (a requeued copy names its chain),
     * not from the row: the receipt of the delivery that requeued it may be written after the
     * copy's, so the row may not carry the copy's chain yet. Ids go as one array, so the primary
     * key finds each row.
     * @param handledRows each row and the key its id is kept under
     */
    void handled(JdbcTemplate jdbc, Map<Key, String> handledRows) {
        String sql = "WITH done AS (DELETE FROM " + incoming + " i WHERE i.id = ANY (?) AND i.destination = ?\n"
                + "RETURNING i.id)\nINSERT INTO " + handled + " (message_id, destination) SELECT k.id, k.handled_key "
                + "FROM unnest(?::uuid[], ?::text[]) AS k(id, handled_key) JOIN done ON done.id = k.id ON CONFLICT DO NOTHING";
        Map<String, List<Map.Entry<Key, String>>> byDestination = new LinkedHashMap<>();
        for (Map.Entry<Key, String> row : handledRows.entrySet()) {
            byDestination.computeIfAbsent(row.getKey().destination(), d -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Map.Entry<Key, String>>> destination : byDestination.entrySet()) {
            Object[] ids = destination.getValue().stream().map(row -> row.getKey().id()).toArray();
            Object[] keys = destination.getValue().stream().map(Map.Entry::getValue).toArray();
            jdbc.update(connection -> {
                PreparedStatement statement = connection.prepareStatement(sql);
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                statement.setString(2, destination.getKey());
                statement.setArray(3, connection.createArrayOf("uuid", ids));
                statement.setArray(4, connection.createArrayOf("text", keys));
                return statement;
            });
        }
    }

    /**
     * Deletes finished rows, one statement per destination, each only while it still holds the
     * delivery that finished (its attempts at most the delivery's): a scheduled retry that took the
     * row over meanwhile (more attempts) stays.
     * @param done each finished row and the attempts of the delivery that finished it
     */
    void finish(JdbcTemplate jdbc, Map<Key, Integer> done) {
        String sql = "DELETE FROM " + incoming + " i USING unnest(?::uuid[], ?::integer[]) AS k(id, attempts) "
                + "WHERE i.id = k.id AND i.destination = ? AND i.attempts <= k.attempts";
        Map<String, List<Map.Entry<Key, Integer>>> byDestination = new LinkedHashMap<>();
        for (Map.Entry<Key, Integer> row : done.entrySet()) {
            byDestination.computeIfAbsent(row.getKey().destination(), d -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Map.Entry<Key, Integer>>> destination : byDestination.entrySet()) {
            Object[] ids = destination.getValue().stream().map(row -> row.getKey().id()).toArray();
            Object[] attempts = destination.getValue().stream().map(Map.Entry::getValue).toArray();
            jdbc.update(connection -> {
                PreparedStatement statement = connection.prepareStatement(sql);
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                statement.setArray(2, connection.createArrayOf("integer", attempts));
                statement.setString(3, destination.getKey());
                return statement;
            });
        }
    }

    /** A requeued envelope's row keeps waiting, with the attempts and chain of the requeued copy. */
    void requeued(JdbcTemplate jdbc, List<Envelope> envelopes, List<Destination> destinations) {
        String sql = "UPDATE " + incoming + " SET (" + EnvelopeColumns.NAMES + ") = ROW(" + EnvelopeColumns.PLACEHOLDERS
                + ") WHERE id = ? AND destination = ?";
        for (int i = 0; i < envelopes.size(); i++) {
            Envelope envelope = envelopes.get(i);
            Destination destination = destinations.get(i);
            jdbc.update(sql, ps -> {
                columns.bind(ps, 1, envelope, columns.body(envelope));
                ps.setObject(EnvelopeColumns.COUNT + 1, envelope.id(), Types.OTHER);
                ps.setString(EnvelopeColumns.COUNT + 2, destination.toString());
            });
        }
    }

    List<Envelope> claimUnordered(JdbcTemplate jdbc, Destination destination, int limit) {
        return sorted(jdbc.query(claimUnordered, ps -> {
            ps.setObject(1, self, Types.OTHER);
            ps.setString(2, destination.toString());
            ps.setInt(3, limit);
        }, (row, n) -> read(row)));
    }

    /** Rows of slots this node owns: no SKIP LOCKED, since only the slot's owner claims them, in order. */
    List<Envelope> claimInOrder(JdbcTemplate jdbc, Destination destination, Set<Integer> owned, int limit) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < owned.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        String sql = """
                UPDATE %s SET owner_node_id = ?
                WHERE (id, destination) IN (
                    SELECT id, destination FROM %s
                    WHERE owner_node_id IS NULL AND destination = ? AND status = 'queued' AND partition_slot IN (%s)
                    ORDER BY sequence_number
                    LIMIT ?
                    FOR UPDATE)
                RETURNING %s""".formatted(incoming, incoming, in, RETURNED);
        return sorted(jdbc.query(sql, ps -> {
            int p = 1;
            ps.setObject(p++, self, Types.OTHER);
            ps.setString(p++, destination.toString());
            for (Integer slot : owned) {
                ps.setInt(p++, slot);
            }
            ps.setInt(p, limit);
        }, (row, n) -> read(row)));
    }

    Set<Integer> claimSlots(JdbcTemplate jdbc, Destination destination, int count) {
        jdbc.update(claimSlots, ps -> {
            ps.setString(1, destination.toString());
            ps.setObject(2, self, Types.OTHER);
            ps.setInt(3, count);
        });
        return new HashSet<>(jdbc.query(ownedSlots, ps -> {
            ps.setString(1, destination.toString());
            ps.setObject(2, self, Types.OTHER);
        }, (row, n) -> row.getInt(1)));
    }

    /**
     * Gives back this node's queued rows of a destination, but those still being handled here,
     * and, when none is, its slots: a slot given up while one of its keys is in flight would let
     * another node handle that key's next message first.
     */
    int release(JdbcTemplate jdbc, Destination destination, Set<UUID> inFlight) {
        int rows = jdbc.update(releaseRows, ps -> {
            ps.setObject(1, self, Types.OTHER);
            ps.setString(2, destination.toString());
            ps.setArray(3, ps.getConnection().createArrayOf("uuid", inFlight.toArray()));
        });
        if (!inFlight.isEmpty()) {
            return rows;
        }
        jdbc.update(releaseSlots, ps -> {
            ps.setString(1, destination.toString());
            ps.setObject(2, self, Types.OTHER);
        });
        return rows;
    }

    /** RETURNING does not keep the subquery's order: sort by sequence number. */
    private static List<Envelope> sorted(List<Sequenced> rows) {
        List<Sequenced> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparingLong(Sequenced::sequence));
        List<Envelope> envelopes = new ArrayList<>(copy.size());
        copy.forEach(row -> envelopes.add(row.envelope()));
        return envelopes;
    }

    private record Sequenced(long sequence, Envelope envelope) {
    }

    /**
     * Reads a claimed row; a row whose columns do not even read as an envelope (its headers, say)
     * still comes back, as a {@link RawMessage} with its bytes, to be dead-lettered rather than
     * claimed again and again.
     */
    private Sequenced read(ResultSet row) throws SQLException {
        long sequence = row.getLong("sequence_number");
        try {
            return new Sequenced(sequence, columns.read(row).envelope());
        } catch (RuntimeException ex) {
            String type = row.getString("message_type");
            byte[] body = row.getBytes("body");
            UnreadableMessageException problem = new UnreadableMessageException(
                    UnreadableMessageException.Reason.UNREADABLE_BODY, type,
                    "The stored row of " + type + " does not read: " + ex.getMessage(), ex);
            Envelope envelope = Envelope.builder().id(row.getObject("id", UUID.class)).messageType(type)
                    .message(new RawMessage(type, body, problem))
                    .sentAt(java.util.Objects.requireNonNull(EnvelopeColumns.instant(row, "sent_at")))
                    .attempts(row.getInt("attempts")).build();
            return new Sequenced(sequence, envelope);
        }
    }
}
