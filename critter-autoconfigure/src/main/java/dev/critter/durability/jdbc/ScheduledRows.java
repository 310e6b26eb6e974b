package dev.critter.durability.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.transport.EnvelopeHeaders;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements on {@code critter_scheduled_envelopes}: inserts (one row, or many in one
 * statement), the claim of due rows, and the delete or release of claimed ones. Statements join
 * the caller's transaction when there is one, else each commits on its own.
 *
 * <p>Rows are keyed by id, destination and chain key (the chain the envelope names, {@code ''} for
 * none): the scheduled retries of two chains of one message are two rows.
 */
final class ScheduledRows {

    /** PostgreSQL takes at most 65,535 parameters per statement: 17 per row, so at most this many rows. */
    static final int MOST_ROWS_PER_INSERT = 1000;

    private static final String COLUMNS = "id, destination, chain_key, due_at, " + EnvelopeColumns.NAMES;

    /**
     * Makes the statement's own (autocommit) transaction commit without waiting for its WAL flush:
     * {@code set_config(..., true)} lasts until that transaction ends, which is after its commit
     * record is written. One round trip instead of a transaction around {@code SET LOCAL}. A
     * database crash can lose only the last fraction of a second of such claims, deletes and
     * releases, which delivers those messages again (at least once, never lost); inserts, which
     * keep the messages themselves, always wait for the disk.
     */
    private static final String ASYNC_COMMIT =
            "WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS v)\n";

    private static final String ROW = "(?, ?, ?, ?, " + EnvelopeColumns.PLACEHOLDERS + ")";

    private final JdbcTemplate jdbc;
    private final EnvelopeColumns columns;
    private final String insertHead;
    private final String onConflict;
    private final String claim;
    private final String claimFor;
    private final String delete;
    private final String release;
    private final String nextDue;
    private final String nextDueFor;
    private final String releaseStale;

    ScheduledRows(JdbcTemplate jdbc, JdbcSchema schema, EnvelopeColumns columns) {
        this.jdbc = jdbc;
        this.columns = columns;
        String table = schema.table("critter_scheduled_envelopes");
        this.insertHead = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES ";
        // The same envelope scheduled again for the same destination and chain (a scheduled retry
        // of a scheduled message whose claimed row is not deleted yet) replaces the row and waits
        // again; the claimant's delete no longer matches it (owner and claimed_at changed).
        StringBuilder set = new StringBuilder(" ON CONFLICT (id, destination, chain_key) DO UPDATE SET due_at = EXCLUDED.due_at, "
                + "owner_node_id = NULL, claimed_at = NULL");
        for (String name : EnvelopeColumns.NAMES.split(", ")) {
            set.append(", ").append(name).append(" = EXCLUDED.").append(name);
        }
        this.onConflict = set.toString();
        String claimTemplate = ASYNC_COMMIT + """
                UPDATE %1$s SET owner_node_id = ?, claimed_at = now()
                WHERE (SELECT v FROM async_commit) IS NOT NULL AND (id, destination, chain_key) IN (
                    SELECT id, destination, chain_key FROM %1$s
                    WHERE owner_node_id IS NULL AND due_at <= now()%3$s
                    ORDER BY due_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, destination, chain_key, due_at, claimed_at, %2$s""";
        this.claim = claimTemplate.formatted(table, EnvelopeColumns.NAMES, "");
        // A node claims only rows for destinations it has: nodes of other services sharing the
        // schema deliver theirs (the outbox relay does the same).
        this.claimFor = claimTemplate.formatted(table, EnvelopeColumns.NAMES, " AND destination = ANY (?::text[])");
        String claimed = " WHERE (SELECT v FROM async_commit) IS NOT NULL AND owner_node_id = ? AND claimed_at = ? "
                + "AND (id, destination, chain_key) IN (SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[]))";
        this.delete = ASYNC_COMMIT + "DELETE FROM " + table + claimed;
        this.release = ASYNC_COMMIT + "UPDATE " + table + " SET owner_node_id = NULL, claimed_at = NULL" + claimed;
        this.releaseStale = "UPDATE " + table + " SET owner_node_id = NULL, claimed_at = NULL WHERE owner_node_id = ? "
                + "AND claimed_at < now() - make_interval(secs => ?)";
        this.nextDue = "SELECT extract(epoch FROM min(due_at) - now()) FROM " + table + " WHERE owner_node_id IS NULL";
        this.nextDueFor = nextDue + " AND destination = ANY (?::text[])";
    }

    /**
     * Inserts rows, {@value #MOST_ROWS_PER_INSERT} per statement at most, in the caller's transaction.
     * @param rows the rows
     */
    void insert(List<Row> rows) {
        for (int from = 0; from < rows.size(); from += MOST_ROWS_PER_INSERT) {
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + MOST_ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(insertHead.length() + chunk.size() * (ROW.length() + 2) + onConflict.length());
            sql.append(insertHead);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(ROW);
            }
            sql.append(onConflict);
            jdbc.update(sql.toString(), ps -> {
                int index = 1;
                for (Row row : chunk) {
                    ps.setObject(index++, row.envelope().id(), Types.OTHER);
                    ps.setString(index++, row.destination());
                    ps.setString(index++, InboxRows.chainKey(row.envelope().headers().get(EnvelopeHeaders.CHAIN_ID)));
                    ps.setObject(index++, EnvelopeColumns.timestamp(row.due()), Types.TIMESTAMP_WITH_TIMEZONE);
                    columns.bind(ps, index, row.envelope(), row.body());
                    index += EnvelopeColumns.COUNT;
                }
            });
        }
    }

    /**
     * Claims due rows for a node: one statement, committed on its own (no transaction is active on the poller).
     * @param owner the claiming node
     * @param limit most rows
     * @param destinations only rows for these destinations, or null for every destination
     * @return the claimed rows, earliest due first
     */
    List<Claimed> claim(UUID owner, int limit, String @Nullable [] destinations) {
        List<Claimed> claimed = jdbc.query(destinations == null ? claim : claimFor, ps -> {
            ps.setObject(1, owner, Types.OTHER);
            if (destinations == null) {
                ps.setInt(2, limit);
            } else {
                ps.setArray(2, ps.getConnection().createArrayOf("text", destinations));
                ps.setInt(3, limit);
            }
        }, (rs, number) -> read(rs));
        List<Claimed> sorted = new ArrayList<>(claimed);
        sorted.sort((a, b) -> a.due().compareTo(b.due()));
        return sorted;
    }

    /**
     * Deletes claimed rows whose destination accepted them; a row scheduled again meanwhile (no
     * longer owned by this claim) stays.
     * @param owner the node that claimed them
     * @param rows rows of one claim
     * @return how many were deleted
     */
    int delete(UUID owner, List<Claimed> rows) {
        return byClaim(delete, owner, rows);
    }

    /**
     * Gives claimed rows back to waiting, for any node to claim again.
     * @param owner the node that claimed them
     * @param rows rows of one claim
     * @return how many were released
     */
    int release(UUID owner, List<Claimed> rows) {
        return byClaim(release, owner, rows);
    }

    /**
     * Tells how long until the earliest waiting row is due (database clock).
     * @param destinations only rows for these destinations, or null for every destination
     * @return the time until then (negative when overdue), or null when no row waits
     */
    @Nullable Duration untilNextDue(String @Nullable [] destinations) {
        Double seconds = destinations == null ? jdbc.queryForObject(nextDue, Double.class)
                : jdbc.queryForObject(nextDueFor, Double.class, (Object) destinations);
        return seconds == null ? null : Duration.ofNanos((long) (seconds * 1e9));
    }

    /**
     * Gives back rows this node claimed longer ago than {@code age} and no longer holds: a claim
     * whose result never arrived (the connection broke after the commit). Only the node itself
     * can tell, since it never recovers itself.
     * @param owner this node
     * @param age older claims are released
     * @return how many were released
     */
    int releaseStale(UUID owner, Duration age) {
        return jdbc.update(releaseStale, ps -> {
            ps.setObject(1, owner, Types.OTHER);
            ps.setDouble(2, age.toNanos() / 1e9);
        });
    }

    private int byClaim(String sql, UUID owner, List<Claimed> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        OffsetDateTime claimedAt = rows.get(0).claimedAt();
        return jdbc.update(sql, ps -> {
            Connection connection = ps.getConnection();
            Array ids = connection.createArrayOf("uuid", rows.stream().map(Claimed::id).toArray());
            Array destinations = connection.createArrayOf("text", rows.stream().map(Claimed::destination).toArray());
            Array chains = connection.createArrayOf("text", rows.stream().map(Claimed::chainKey).toArray());
            ps.setObject(1, owner, Types.OTHER);
            ps.setObject(2, claimedAt, Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setArray(3, ids);
            ps.setArray(4, destinations);
            ps.setArray(5, chains);
        });
    }

    /**
     * Reads a claimed row, never failing on its content: a row whose envelope columns do not read
     * (headers that are not an object of strings, say) comes back as a {@link RawMessage} with the
     * reason, so it is dead-lettered rather than left claimed.
     */
    private Claimed read(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        String destination = rs.getString("destination");
        String chainKey = rs.getString("chain_key");
        Instant due = Objects.requireNonNull(EnvelopeColumns.instant(rs, "due_at"));
        OffsetDateTime claimedAt = rs.getObject("claimed_at", OffsetDateTime.class);
        Envelope envelope;
        try {
            envelope = columns.read(rs).envelope();
        } catch (RuntimeException ex) {
            String type = rs.getString("message_type");
            UnreadableMessageException problem = new UnreadableMessageException(
                    UnreadableMessageException.Reason.UNREADABLE_BODY, type,
                    "Scheduled row " + id + " for " + destination + " does not read: " + ex.getMessage(), ex);
            Instant sentAt = EnvelopeColumns.instant(rs, "sent_at");
            envelope = Envelope.builder().id(id).messageType(type).message(new RawMessage(type, rs.getBytes("body"), problem))
                    .headers(Map.of()).sentAt(sentAt != null ? sentAt : due).scheduledAt(due).build();
        }
        return new Claimed(id, destination, chainKey, due, claimedAt, envelope);
    }

    /**
     * A row to insert.
     * @param envelope the envelope
     * @param destination its destination's address
     * @param due when it is due
     * @param body its serialized body
     */
    record Row(Envelope envelope, String destination, Instant due, byte[] body) {
    }

    /**
     * A row this node claimed.
     * @param id the envelope id
     * @param destination the destination's address
     * @param chainKey the chain the row is for, {@code ""} for none
     * @param due when it was due
     * @param claimedAt the claim's time, which tells this claim apart from a later one of the same row
     * @param envelope the envelope, its message a {@link RawMessage} when it does not read
     */
    record Claimed(UUID id, String destination, String chainKey, Instant due, OffsetDateTime claimedAt,
                   Envelope envelope) {
    }
}
