package dev.critter.autoconfigure.durability;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Critter's durability settings under {@code critter.durability.*}: whether Critter uses the
 * application's PostgreSQL {@code DataSource}, and where and how its tables are made.
 */
@ConfigurationProperties("critter.durability")
public class DurabilityProperties {

    /** Whether durability is on when the application has a single DataSource. */
    private boolean enabled = true;

    /** Schema holding Critter's tables: lower-case letters, digits and underscores, at most 63, not starting with pg_. */
    private String schema = "critter";

    /** Whether start-up creates and migrates the schema; false only checks that the scripts were run. */
    private boolean autoCreate = true;

    /** How often the outbox relay and the scheduled-message poller look for work they were not woken for. */
    private Duration pollInterval = Duration.ofSeconds(1);

    /** How often this node records that it is alive. */
    private Duration nodeHeartbeat = Duration.ofSeconds(5);

    /** How long a node may stay silent before it is presumed dead and live nodes take over its rows. */
    private Duration nodeLease = Duration.ofSeconds(20);

    /** How long dead letters are kept before they are deleted. */
    private Duration deadLetterRetention = Duration.ofDays(14);

    /** How long the ids of handled messages are kept, so a redelivery within this window is not handled again. */
    private Duration handledRetention = Duration.ofDays(1);

    /**
     * How old the oldest outbox row may grow before the health contributor {@code critter} reports
     * the relay as fallen behind (status DOWN).
     */
    private Duration relayLagThreshold = Duration.ofMinutes(1);

    /** Most rows one background statement claims, writes or deletes. */
    private int batchSize = 500;

    /** Most database connections this node's background work (relay, poller, heartbeats, batched writes, clean-up) holds at once. */
    private int backgroundConnections = 2;

    /**
     * Whether durability is on when the application has a single DataSource.
     * @return the value of {@code critter.durability.enabled}
     */
    public boolean isEnabled() { return enabled; }

    /**
     * Sets {@code critter.durability.enabled}.
     * @param enabled whether durability is on when the application has a single DataSource
     */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    /**
     * Schema holding Critter's tables.
     * @return the value of {@code critter.durability.schema}
     */
    public String getSchema() { return schema; }

    /**
     * Sets {@code critter.durability.schema}.
     * @param schema schema holding Critter's tables
     */
    public void setSchema(String schema) { this.schema = schema; }

    /**
     * Whether start-up creates and migrates the schema.
     * @return the value of {@code critter.durability.auto-create}
     */
    public boolean isAutoCreate() { return autoCreate; }

    /**
     * Sets {@code critter.durability.auto-create}.
     * @param autoCreate whether start-up creates and migrates the schema
     */
    public void setAutoCreate(boolean autoCreate) { this.autoCreate = autoCreate; }

    /**
     * How often the relay and the scheduled-message poller poll.
     * @return the value of {@code critter.durability.poll-interval}
     */
    public Duration getPollInterval() { return pollInterval; }

    /**
     * Sets {@code critter.durability.poll-interval}.
     * @param pollInterval how often the relay and the scheduled-message poller poll
     */
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }

    /**
     * How often this node heartbeats.
     * @return the value of {@code critter.durability.node-heartbeat}
     */
    public Duration getNodeHeartbeat() { return nodeHeartbeat; }

    /**
     * Sets {@code critter.durability.node-heartbeat}.
     * @param nodeHeartbeat how often this node heartbeats
     */
    public void setNodeHeartbeat(Duration nodeHeartbeat) { this.nodeHeartbeat = nodeHeartbeat; }

    /**
     * How long a silent node is presumed alive.
     * @return the value of {@code critter.durability.node-lease}
     */
    public Duration getNodeLease() { return nodeLease; }

    /**
     * Sets {@code critter.durability.node-lease}.
     * @param nodeLease how long a silent node is presumed alive
     */
    public void setNodeLease(Duration nodeLease) { this.nodeLease = nodeLease; }

    /**
     * How long dead letters are kept.
     * @return the value of {@code critter.durability.dead-letter-retention}
     */
    public Duration getDeadLetterRetention() { return deadLetterRetention; }

    /**
     * Sets {@code critter.durability.dead-letter-retention}.
     * @param deadLetterRetention how long dead letters are kept
     */
    public void setDeadLetterRetention(Duration deadLetterRetention) { this.deadLetterRetention = deadLetterRetention; }

    /**
     * How long handled message ids are kept.
     * @return the value of {@code critter.durability.handled-retention}
     */
    public Duration getHandledRetention() { return handledRetention; }

    /**
     * Sets {@code critter.durability.handled-retention}.
     * @param handledRetention how long handled message ids are kept
     */
    public void setHandledRetention(Duration handledRetention) { this.handledRetention = handledRetention; }

    /**
     * How old the oldest outbox row may grow before health reports the relay as fallen behind.
     * @return the value of {@code critter.durability.relay-lag-threshold}
     */
    public Duration getRelayLagThreshold() { return relayLagThreshold; }

    /**
     * Sets {@code critter.durability.relay-lag-threshold}.
     * @param relayLagThreshold how old the oldest outbox row may grow before health reports the relay as fallen behind
     */
    public void setRelayLagThreshold(Duration relayLagThreshold) { this.relayLagThreshold = relayLagThreshold; }

    /**
     * Most rows per background statement.
     * @return the value of {@code critter.durability.batch-size}
     */
    public int getBatchSize() { return batchSize; }

    /**
     * Sets {@code critter.durability.batch-size}.
     * @param batchSize most rows per background statement
     */
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }

    /**
     * Most connections background work holds at once.
     * @return the value of {@code critter.durability.background-connections}
     */
    public int getBackgroundConnections() { return backgroundConnections; }

    /**
     * Sets {@code critter.durability.background-connections}.
     * @param backgroundConnections most connections background work holds at once
     */
    public void setBackgroundConnections(int backgroundConnections) { this.backgroundConnections = backgroundConnections; }
}
