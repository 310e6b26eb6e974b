package dev.critter.durability.jdbc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rows a node owns across Critter's tables: releasing them to live nodes (outbox and inbox
 * rows unowned, scheduled claims back to waiting, ordered-queue slots given up) and listing which
 * node ids own any. Statements join the caller's transaction.
 */
final class NodeRows {

    /** Sorts below every random (version 4) node id: where the walk over owner ids starts. */
    private static final UUID BEFORE_ANY = new UUID(0, 0);

    private final JdbcClient jdbc;
    private final String releaseOutgoing;
    private final String releaseIncoming;
    private final String releaseScheduled;
    private final String releaseSlots;
    private final List<String> nextOwner;
    private final String ownedIncoming;

    NodeRows(JdbcClient jdbc, JdbcSchema schema) {
        this.jdbc = jdbc;
        String outgoing = schema.table("critter_outgoing_envelopes");
        String incoming = schema.table("critter_incoming_envelopes");
        String scheduled = schema.table("critter_scheduled_envelopes");
        String slots = schema.table("critter_partition_owners");
        this.releaseOutgoing = "UPDATE " + outgoing + " SET owner_node_id = NULL WHERE owner_node_id = ?";
        // Handled rows wait only for clean-up; their owner no longer matters (and only queued rows are indexed).
        this.releaseIncoming = "UPDATE " + incoming + " SET owner_node_id = NULL WHERE owner_node_id = ? AND status = 'queued'";
        this.releaseScheduled = "UPDATE " + scheduled + " SET owner_node_id = NULL, claimed_at = NULL WHERE owner_node_id = ?";
        this.releaseSlots = "DELETE FROM " + slots + " WHERE owner_node_id = ?";
        this.ownedIncoming = "SELECT count(*) FROM " + incoming + " WHERE owner_node_id = ? AND status = 'queued'";
        // One index probe per distinct owner (a skip scan over each table's owner index), so listing
        // the owners costs the same with ten rows or ten million.
        this.nextOwner = List.of(
                "SELECT owner_node_id FROM " + outgoing + " WHERE owner_node_id > ? ORDER BY owner_node_id LIMIT 1",
                "SELECT owner_node_id FROM " + incoming + " WHERE owner_node_id > ? AND status = 'queued' "
                        + "ORDER BY owner_node_id LIMIT 1",
                "SELECT owner_node_id FROM " + scheduled + " WHERE owner_node_id > ? ORDER BY owner_node_id LIMIT 1",
                "SELECT owner_node_id FROM " + slots + " WHERE owner_node_id > ? ORDER BY owner_node_id LIMIT 1");
    }

    /**
     * Releases every row {@code owner} owns, in the caller's transaction.
     * @param owner a node id
     * @return what was released
     */
    ReleasedRows release(UUID owner) {
        int outgoing = jdbc.sql(releaseOutgoing).param(owner).update();
        int incoming = jdbc.sql(releaseIncoming).param(owner).update();
        int scheduled = jdbc.sql(releaseScheduled).param(owner).update();
        int slots = jdbc.sql(releaseSlots).param(owner).update();
        return new ReleasedRows(outgoing, incoming, scheduled, slots);
    }

    /**
     * Releases every row {@code owner} owns but the inbox rows of {@code kept} (messages still
     * being handled) and its slots, in the caller's transaction.
     * @param owner a node id
     * @param kept ids of inbox rows to keep owned
     * @return what was released
     */
    ReleasedRows releaseAllBut(UUID owner, Set<UUID> kept) {
        int outgoing = jdbc.sql(releaseOutgoing).param(owner).update();
        int incoming = jdbc.sql(releaseIncoming + " AND id <> ALL (?::uuid[])").param(owner)
                .param(kept.stream().map(UUID::toString).toArray(String[]::new)).update();
        int scheduled = jdbc.sql(releaseScheduled).param(owner).update();
        return new ReleasedRows(outgoing, incoming, scheduled, 0);
    }

    /**
     * Counts the queued inbox rows {@code owner} owns among these ids.
     * @param owner a node id
     * @param ids message ids
     * @return how many
     */
    long ownedIncoming(UUID owner, Set<UUID> ids) {
        return jdbc.sql(ownedIncoming + " AND id = ANY (?::uuid[])").param(owner)
                .param(ids.stream().map(UUID::toString).toArray(String[]::new)).query(Long.class).single();
    }

    /**
     * Lists the node ids that own at least one row in any of Critter's tables.
     * @return the owner ids, without duplicates
     */
    Set<UUID> owners() {
        Set<UUID> owners = new LinkedHashSet<>();
        for (String next : nextOwner) {
            Optional<UUID> owner = jdbc.sql(next).param(BEFORE_ANY).query(UUID.class).optional();
            while (owner.isPresent()) {
                owners.add(owner.get());
                owner = jdbc.sql(next).param(owner.get()).query(UUID.class).optional();
            }
        }
        return owners;
    }
}
