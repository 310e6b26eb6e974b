package dev.critter.durability.jdbc;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One recovery pass, run by every live node: hands the rows of nodes that stopped heart-beating
 * to live nodes. A dead node (no heartbeat for the lease) is recovered in one transaction that
 * first locks its node row {@code FOR UPDATE SKIP LOCKED}, so however many live nodes run this
 * at once, exactly one recovers it; no leader is needed. Rows whose owner has no node row at
 * all (it stopped cleanly without releasing them, or was recovered and died before registering
 * again) are released once this node has seen them ownerless for a whole lease.
 */
final class NodeRecovery {

    private static final Log logger = LogFactory.getLog(NodeRecovery.class);

    /** A pass recovers at most this many dead nodes; the next pass, one heartbeat later, goes on. */
    private static final int MOST_NODES_PER_PASS = 100;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final NodeRows rows;
    private final UUID self;
    private final Duration lease;
    private final LongSupplier nanoTime;
    private final String findDead;
    private final String deleteNode;
    private final String nodeIds;
    private final String nodeExists;
    /** Owner ids seen without a node row, and when (nano time) they were first seen so; touched by one agent only. */
    private final Map<UUID, Long> ownerlessSince = new HashMap<>();

    NodeRecovery(JdbcClient jdbc, TransactionTemplate transaction, JdbcSchema schema, UUID self, Duration lease,
                 LongSupplier nanoTime) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.rows = new NodeRows(jdbc, schema);
        this.self = self;
        this.lease = lease;
        this.nanoTime = nanoTime;
        String nodes = schema.table("critter_nodes");
        this.findDead = """
                SELECT node_id, service_name, host_name, heartbeat_at FROM %s
                WHERE heartbeat_at < now() - make_interval(secs => ?) AND node_id <> ?
                ORDER BY heartbeat_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED""".formatted(nodes);
        this.deleteNode = "DELETE FROM " + nodes + " WHERE node_id = ?";
        this.nodeIds = "SELECT node_id FROM " + nodes;
        this.nodeExists = "SELECT count(*) FROM " + nodes + " WHERE node_id = ?";
    }

    /**
     * Recovers every dead node nobody else is recovering, then releases rows ownerless for a lease.
     * @return everything released
     */
    ReleasedRows recover() {
        ReleasedRows total = ReleasedRows.NONE;
        for (int i = 0; i < MOST_NODES_PER_PASS; i++) {
            Recovered recovered = transaction.execute(status -> recoverOneDeadNode());
            if (recovered == null) {
                break;
            }
            DeadNode node = recovered.node();
            logger.info("Critter node " + self + " recovered node " + node.id() + " (service " + node.service()
                    + ", host " + node.host() + "), silent since " + node.heartbeatAt() + " (database clock; "
                    + "critter.durability.node-lease=" + text(lease) + "): released " + recovered.released()
                    + " to live nodes");
            total = total.plus(recovered.released());
        }
        return total.plus(releaseOwnerless());
    }

    /**
     * Retires this node on a clean shutdown: in one transaction, releases the rows it still owns
     * (its queues have stopped and gave back what they held) and deletes its node row, so live
     * nodes take them over at their next claim instead of a lease later. The inbox rows of
     * messages its queues were still handling when the shutdown timeout ran out are kept, with
     * its slots and its node row: live nodes take them over only a lease after its last
     * heartbeat, not while a handler may still be running here.
     * @param inFlight ids of messages still being handled here
     * @return what was released, and how many inbox rows were kept
     */
    Retirement retire(Set<UUID> inFlight) {
        Retirement retirement = transaction.execute(status -> {
            long kept = inFlight.isEmpty() ? 0 : rows.ownedIncoming(self, inFlight);
            if (kept > 0) {
                return new Retirement(rows.releaseAllBut(self, inFlight), kept);
            }
            ReleasedRows own = rows.release(self);
            jdbc.sql(deleteNode).param(self).update();
            return new Retirement(own, 0);
        });
        return retirement == null ? new Retirement(ReleasedRows.NONE, 0) : retirement;
    }

    /**
     * What a clean shutdown released, and kept.
     * @param released rows handed to live nodes at once
     * @param keptInbox inbox rows of messages still being handled, kept with the node row
     */
    record Retirement(ReleasedRows released, long keptInbox) {
    }

    private @Nullable Recovered recoverOneDeadNode() {
        Optional<DeadNode> dead = jdbc.sql(findDead).param(seconds(lease)).param(self)
                .query((rs, row) -> new DeadNode(rs.getObject("node_id", UUID.class), rs.getString("service_name"),
                        rs.getString("host_name"), rs.getObject("heartbeat_at", OffsetDateTime.class)))
                .optional();
        if (dead.isEmpty()) {
            return null;
        }
        ReleasedRows released = rows.release(dead.get().id());
        jdbc.sql(deleteNode).param(dead.get().id()).update();
        return new Recovered(dead.get(), released);
    }

    /**
     * Rows can outlive their node's row: a node that stops cleanly deletes its row while a row it
     * did not release may remain, and a node recovered while still alive writes rows before it
     * registers again. A second sighting a lease after the first tells the two apart: a live node
     * registers again within a heartbeat.
     */
    private ReleasedRows releaseOwnerless() {
        Set<UUID> ownerless = new HashSet<>(rows.owners()); // owners first: a node registering meanwhile is then seen
        ownerless.removeAll(jdbc.sql(nodeIds).query(UUID.class).set());
        ownerless.remove(self);
        ownerlessSince.keySet().retainAll(ownerless);
        long now = nanoTime.getAsLong();
        ReleasedRows total = ReleasedRows.NONE;
        for (UUID owner : ownerless) {
            long since = ownerlessSince.computeIfAbsent(owner, o -> now);
            if (now - since < lease.toNanos()) {
                continue;
            }
            ReleasedRows released = transaction.execute(status -> {
                boolean registered = jdbc.sql(nodeExists).param(owner).query(Long.class).single() > 0;
                return registered ? ReleasedRows.NONE : rows.release(owner);
            });
            ownerlessSince.remove(owner);
            if (released != null && released.any()) {
                logger.info("Critter node " + self + " released the rows of node " + owner + ", which has had no "
                        + "row in critter_nodes for a lease (critter.durability.node-lease=" + text(lease) + "; it "
                        + "stopped without releasing them, or stopped after it was presumed dead): " + released
                        + " to live nodes");
                total = total.plus(released);
            }
        }
        return total;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** E.g. {@code 20s}, {@code 1500ms}: how durations read in Critter's log lines and property values. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private record DeadNode(UUID id, String service, @Nullable String host, OffsetDateTime heartbeatAt) {
    }

    private record Recovered(DeadNode node, ReleasedRows released) {
    }
}
