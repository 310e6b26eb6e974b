package dev.critter.durability.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import dev.critter.durability.Backlog;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Measures what waits in the durable tables with one query every
 * {@code critter.durability.node-heartbeat}, on {@link BackgroundWork}, and keeps the last
 * {@link Backlog}: gauges and health read it, so a metrics scrape or a health probe never
 * queries the database.
 */
public final class JdbcBacklog {

    private static final Log logger = LogFactory.getLog(JdbcBacklog.class);

    private final JdbcClient jdbc;
    private final DurabilitySettings settings;
    private final BackgroundWork work;
    private final String measure;
    private volatile @Nullable Backlog current;
    private BackgroundWork.@Nullable Agent agent;

    /**
     * Creates the measurement; nothing runs before {@link #start()}.
     * @param dataSource the application's database
     * @param schema Critter's schema, ready
     * @param settings how often to measure (the node heartbeat) and the node lease (which nodes are live)
     * @param work where the query runs
     */
    public JdbcBacklog(DataSource dataSource, JdbcSchema schema, DurabilitySettings settings, BackgroundWork work) {
        this.jdbc = JdbcClient.create(dataSource);
        this.settings = settings;
        this.work = work;
        // One scan per table (count and oldest together); the waiting scheduled rows are exactly
        // those of the partial due_at index.
        this.measure = """
                SELECT o.pending AS outbox_pending,
                       coalesce(extract(epoch FROM now() - o.oldest), 0) AS outbox_oldest_seconds,
                       s.waiting AS scheduled_waiting,
                       coalesce(extract(epoch FROM now() - s.most_overdue), 0) AS scheduled_overdue_seconds,
                       d.stored AS dead_letters,
                       n.live AS live_nodes
                FROM (SELECT count(*) AS pending, min(stored_at) AS oldest FROM %s) o,
                     (SELECT count(*) AS waiting, min(due_at) FILTER (WHERE due_at <= now()) AS most_overdue
                      FROM %s WHERE owner_node_id IS NULL) s,
                     (SELECT count(*) AS stored FROM %s) d,
                     (SELECT count(*) AS live FROM %s WHERE heartbeat_at >= now() - make_interval(secs => ?)) n"""
                .formatted(schema.table("critter_outgoing_envelopes"), schema.table("critter_scheduled_envelopes"),
                        schema.table("critter_dead_letters"), schema.table("critter_nodes"));
    }

    /** Measures now, then every node heartbeat. */
    public synchronized void start() {
        if (agent == null) {
            agent = work.every("backlog figures", settings.nodeHeartbeat(), this::measure);
            agent.wake();
        }
    }

    /**
     * Measures again soon, off the calling thread: the node registered, so health counts it
     * among the live nodes before the next heartbeat rather than after it.
     */
    public synchronized void refresh() {
        if (agent != null) {
            agent.wake();
        }
    }

    /**
     * Returns the figures of the last measurement that succeeded.
     * @return the figures, or null before the first measurement succeeded
     */
    public @Nullable Backlog current() {
        return current;
    }

    /** Measures now, on the calling thread. */
    void measure() {
        try {
            current = jdbc.sql(measure).param(NodeRecovery.seconds(settings.nodeLease()))
                    .query((rs, row) -> new Backlog(rs.getLong("outbox_pending"),
                            seconds(rs.getDouble("outbox_oldest_seconds")), rs.getLong("scheduled_waiting"),
                            seconds(rs.getDouble("scheduled_overdue_seconds")), rs.getLong("dead_letters"),
                            rs.getInt("live_nodes")))
                    .single();
        } catch (DataAccessException ex) {
            logger.warn("Critter could not measure the durable backlog (gauges and health keep the last figures): "
                    + ex.getMessage());
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.max(0, Math.round(seconds * 1e9)));
    }
}
