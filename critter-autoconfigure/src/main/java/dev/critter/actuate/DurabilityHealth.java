package dev.critter.actuate;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.critter.durability.Backlog;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcNodes;

import org.jspecify.annotations.Nullable;

/**
 * The durability part of the health contributor {@code critter}, read from figures the
 * background work keeps (a health probe never queries the database): {@code database} is down
 * when this node has not recorded a heartbeat for a whole node lease (the database is unreachable,
 * or this node is starved, and live nodes may be taking its rows over); {@code relay} is down when
 * the oldest outbox row has waited longer than {@code critter.durability.relay-lag-threshold}
 * (a destination is down or refusing messages, or the relay cannot keep up).
 */
public final class DurabilityHealth {

    private final JdbcNodes nodes;
    private final JdbcBacklog backlog;
    private final Duration nodeLease;
    private final Duration relayLagThreshold;

    /**
     * Creates the check.
     * @param nodes this node's heartbeat
     * @param backlog the last backlog figures
     * @param nodeLease {@code critter.durability.node-lease}
     * @param relayLagThreshold {@code critter.durability.relay-lag-threshold}
     */
    public DurabilityHealth(JdbcNodes nodes, JdbcBacklog backlog, Duration nodeLease, Duration relayLagThreshold) {
        this.nodes = nodes;
        this.backlog = backlog;
        this.nodeLease = nodeLease;
        this.relayLagThreshold = relayLagThreshold;
    }

    /**
     * Checks the figures as they are now.
     * @return whether durability is healthy, and the details
     */
    Check check() {
        return check(nodes.node().id(), nodes.sinceLastHeartbeat(), backlog.current(), nodeLease, relayLagThreshold);
    }

    static Check check(UUID node, @Nullable Duration sinceLastHeartbeat, @Nullable Backlog backlog, Duration nodeLease,
                       Duration relayLagThreshold) {
        Map<String, Object> database = new LinkedHashMap<>();
        boolean databaseUp = sinceLastHeartbeat != null && sinceLastHeartbeat.compareTo(nodeLease) <= 0;
        database.put("status", databaseUp ? "UP" : "DOWN");
        database.put("node", node.toString());
        database.put("sinceLastHeartbeat", sinceLastHeartbeat == null ? "never" : text(sinceLastHeartbeat));
        database.put("nodeLease", text(nodeLease));
        if (!databaseUp) {
            database.put("problem", "This node has not recorded a heartbeat for longer than the node lease: the "
                    + "database is unreachable or this node is starved; live nodes may be taking its rows over.");
        }
        Map<String, Object> relay = new LinkedHashMap<>();
        boolean relayUp = backlog == null || backlog.oldestOutbox().compareTo(relayLagThreshold) <= 0;
        relay.put("status", relayUp ? "UP" : "DOWN");
        if (backlog == null) {
            relay.put("pending", "not measured yet");
        } else {
            database.put("liveNodes", backlog.liveNodes());
            relay.put("pending", backlog.outboxPending());
            relay.put("oldestPending", text(backlog.oldestOutbox()));
        }
        relay.put("threshold", text(relayLagThreshold));
        if (!relayUp) {
            relay.put("problem", "The oldest outbox row has waited longer than critter.durability.relay-lag-threshold: "
                    + "a destination is down or refusing messages, or the relay cannot keep up.");
        }
        return new Check(databaseUp && relayUp, database, relay);
    }

    /** ISO-8601, to the millisecond (e.g. {@code PT1.25S}), as Spring Boot reads durations too. */
    private static String text(Duration duration) {
        return duration.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * The outcome of one check.
     * @param up whether the database and the relay are both up
     * @param database the {@code database} detail
     * @param relay the {@code relay} detail
     */
    record Check(boolean up, Map<String, Object> database, Map<String, Object> relay) {
    }
}
