package dev.critter.durability.jdbc;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.runtime.CritterRuntime;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This node in {@code critter_nodes}, and the recovery of nodes that died: registers the node
 * when the context starts, heartbeats every {@code critter.durability.node-heartbeat}, and on
 * every node (no leader) runs a recovery pass as often, which hands the rows of nodes silent for
 * longer than {@code critter.durability.node-lease} (database clock) to live nodes and then tells
 * the {@linkplain #onRowsReleased listeners}. On a clean shutdown it deletes its node row, after
 * the runtime stopped and released what it owned; unless messages of its durable queues were
 * still being handled (past the shutdown timeout): then it keeps their rows and its node row,
 * which live nodes recover a lease after its last heartbeat.
 *
 * <p>The heartbeat runs on a thread of its own ({@code critter-heartbeat}), not on the node's
 * bounded background threads, and, when given one, on a connection of its own from outside the
 * application's pool: neither busy background agents nor handlers and publishers holding every
 * pooled connection can silence a live node past its lease (live nodes would take its rows over
 * and handle them a second time). When that connection cannot be had, a beat uses the pool.
 */
public final class JdbcNodes implements SmartLifecycle {

    /** Starts before the runtime and stops after it: the runtime's durable work owns rows in this node's name. */
    public static final int PHASE = CritterRuntime.PHASE - 1024;

    private static final Log logger = LogFactory.getLog(JdbcNodes.class);

    private final JdbcClient jdbc;
    private final DurabilityNode node;
    private final DurabilitySettings settings;
    private final BackgroundWork work;
    private final NodeRecovery recovery;
    private final @Nullable String hostName;
    private final String register;
    private final String heartbeat;
    private final String live;
    private final @Nullable HeartbeatConnection ownConnection;
    private volatile boolean ownConnectionFailing;
    private @Nullable ScheduledExecutorService heartbeatThread;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> registrationListeners = new CopyOnWriteArrayList<>();
    /** Heartbeats and the clean-shutdown delete exclude each other, so no heartbeat registers the node again after it. */
    private final ReentrantLock rowLock = new ReentrantLock();
    private volatile boolean running;
    private volatile boolean registered;
    private volatile long lastHeartbeatNanos;
    private boolean agentsStarted;
    /** Messages the durable queues were still handling when they stopped: their rows stay owned at retirement. */
    private final Set<UUID> inFlightAtStop = ConcurrentHashMap.newKeySet();

    /**
     * Creates the node's registration; nothing runs before {@link #start()}.
     * @param dataSource the application's database
     * @param schema Critter's schema, ready
     * @param node this node
     * @param settings the heartbeat interval and the lease
     * @param work where recovery runs
     */
    public JdbcNodes(DataSource dataSource, JdbcSchema schema, DurabilityNode node, DurabilitySettings settings,
                     BackgroundWork work) {
        this(dataSource, null, schema, node, settings, work);
    }

    /**
     * Creates the node's registration, heart-beating on a connection of its own; nothing runs before {@link #start()}.
     * @param dataSource the application's database
     * @param heartbeatSource opens unpooled connections to the same database, for the heartbeat;
     *                        null to heartbeat on a pooled connection of {@code dataSource}
     * @param schema Critter's schema, ready
     * @param node this node
     * @param settings the heartbeat interval and the lease
     * @param work where recovery runs
     */
    public JdbcNodes(DataSource dataSource, @Nullable DataSource heartbeatSource, JdbcSchema schema,
                     DurabilityNode node, DurabilitySettings settings, BackgroundWork work) {
        this.jdbc = JdbcClient.create(dataSource);
        this.ownConnection = heartbeatSource == null ? null : new HeartbeatConnection(heartbeatSource, settings.nodeLease());
        this.node = node;
        this.settings = settings;
        this.work = work;
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.recovery = new NodeRecovery(jdbc, transaction, schema, node.id(), settings.nodeLease(), System::nanoTime);
        this.hostName = localHostName();
        String nodes = schema.table("critter_nodes");
        this.register = "INSERT INTO " + nodes + " (node_id, service_name, host_name) VALUES (?, ?, ?) "
                + "ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()";
        this.heartbeat = "UPDATE " + nodes + " SET heartbeat_at = now() WHERE node_id = ?";
        this.live = "SELECT node_id, service_name, host_name, started_at, heartbeat_at FROM " + nodes
                + " WHERE heartbeat_at >= now() - make_interval(secs => ?) ORDER BY started_at, node_id";
    }

    /**
     * Asks to be told whenever a recovery pass of this node released rows to live nodes, so agents
     * claiming unowned rows look at once instead of at their next poll.
     * @param listener runs on the recovery thread; keep it short (wake an agent)
     */
    public void onRowsReleased(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Asks to be told, on the registering thread, whenever this node's row is written: at start
     * and when the heartbeat registers it again. Listeners must return quickly.
     * @param listener told after the row is written
     */
    public void onRegistered(Runnable listener) {
        registrationListeners.add(listener);
    }

    /**
     * Registers this node (a database that cannot be reached now is logged, and the heartbeat
     * registers it once it can be), then starts the heartbeat and recovery agents.
     */
    @Override
    public void start() {
        rowLock.lock();
        try {
            running = true;
            try {
                registerRow();
            } catch (DataAccessException ex) {
                logger.warn("Critter could not register node " + node.id() + " in critter_nodes; the heartbeat "
                        + "will try again every " + NodeRecovery.text(settings.nodeHeartbeat()) + ": " + ex.getMessage());
            }
        } finally {
            rowLock.unlock();
        }
        if (!agentsStarted) { // a context stopped and started again keeps its agents
            agentsStarted = true;
            ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread beating = new Thread(runnable, "critter-heartbeat");
                beating.setDaemon(true);
                return beating;
            });
            long interval = settings.nodeHeartbeat().toNanos();
            thread.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.NANOSECONDS);
            heartbeatThread = thread;
            work.every("node recovery", settings.nodeHeartbeat(), this::recover).wake();
        }
    }

    /** Stops the heartbeat thread and closes its connection (the bean's destroy method). */
    public void close() {
        ScheduledExecutorService thread = heartbeatThread;
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownConnection != null) {
            ownConnection.close();
        }
    }

    /**
     * Deletes this node's row and releases the rows it still owns, in one transaction: live nodes
     * then know at once that it is gone and take its rows over at their next claim.
     */
    @Override
    public void stop() {
        rowLock.lock();
        try {
            running = false;
            NodeRecovery.Retirement retirement = recovery.retire(Set.copyOf(inFlightAtStop));
            inFlightAtStop.clear();
            ReleasedRows released = retirement.released();
            registered = false;
            if (retirement.keptInbox() > 0) {
                logger.warn("Critter node " + node.id() + " stopped while " + retirement.keptInbox() + " durable "
                        + "message(s) were still being handled (past critter.shutdown-timeout): it keeps their rows "
                        + "and its row in critter_nodes, without heartbeats, so live nodes take them over only "
                        + "critter.durability.node-lease=" + NodeRecovery.text(settings.nodeLease()) + " after its "
                        + "last heartbeat; it released " + released + " to live nodes");
            } else if (released.any()) {
                logger.info("Critter node " + node.id() + " stopped and released " + released + " to live nodes");
            }
        } catch (DataAccessException | TransactionException ex) {
            logger.warn("Critter could not delete node " + node.id() + " from critter_nodes on shutdown; live nodes "
                    + "will recover it after critter.durability.node-lease=" + NodeRecovery.text(settings.nodeLease())
                    + ": " + ex.getMessage());
        } finally {
            rowLock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Keeps the inbox rows of these messages owned when this node stops: its queues were still
     * handling them when the shutdown timeout ran out.
     * @param ids message ids
     */
    void keepAtStop(Set<UUID> ids) {
        inFlightAtStop.addAll(ids);
    }

    /**
     * Lists the nodes whose last heartbeat is within the lease, this one included (a query).
     * @return the live nodes, oldest first
     */
    public List<NodeDescription> liveNodes() {
        return jdbc.sql(live).param(NodeRecovery.seconds(settings.nodeLease()))
                .query((rs, row) -> new NodeDescription(rs.getObject("node_id", UUID.class),
                        rs.getString("service_name"), rs.getString("host_name"),
                        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("heartbeat_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /**
     * How long ago this node last recorded its heartbeat (or registered), by this process's clock.
     * @return the age, or null before it first managed to
     */
    public @Nullable Duration sinceLastHeartbeat() {
        long last = lastHeartbeatNanos;
        return last == 0 ? null : Duration.ofNanos(System.nanoTime() - last);
    }

    /**
     * Returns this node.
     * @return this node
     */
    public DurabilityNode node() {
        return node;
    }

    /** One run of the heartbeat thread: nothing it throws may end the schedule. */
    private void beat() {
        try {
            heartbeat();
        } catch (RuntimeException | Error ex) {
            logger.warn("Critter node " + node.id() + ": heartbeat failed, will beat again: " + ex, ex);
        }
    }

    private void heartbeat() {
        rowLock.lock();
        try {
            if (!running) {
                return;
            }
            if (writeNodeRow(heartbeat, node.id()) == 1) {
                lastHeartbeatNanos = System.nanoTime();
                return;
            }
            boolean wasRegistered = registered;
            registerRow();
            if (wasRegistered) {
                logger.warn("Critter node " + node.id() + " found its row in critter_nodes gone: another node presumed "
                        + "it dead (no heartbeat for critter.durability.node-lease=" + NodeRecovery.text(settings.nodeLease())
                        + ") and released its rows to live nodes. It registered again and carries on, but messages it "
                        + "still holds may also be handled by the node that took them over (duplicates). Look for "
                        + "long pauses of this process (GC, CPU starvation) or of its database connections, or raise "
                        + "critter.durability.node-lease.");
            } else {
                logger.info("Critter registered node " + node.id() + " in critter_nodes");
            }
        } catch (DataAccessException ex) {
            Duration since = sinceLastHeartbeat();
            logger.warn("Critter node " + node.id() + " could not record its heartbeat" + (since == null ? ""
                    : " (last one " + NodeRecovery.text(since) + " ago; live nodes take its rows over once it is "
                    + NodeRecovery.text(settings.nodeLease()) + " old)") + ": " + ex.getMessage());
        } finally {
            rowLock.unlock();
        }
    }

    private void registerRow() {
        writeNodeRow(register, node.id(), node.serviceName(), hostName);
        registered = true;
        lastHeartbeatNanos = System.nanoTime();
        tell(registrationListeners);
    }

    /** On the heartbeat's own connection when there is one and it works, else on a pooled one. */
    private int writeNodeRow(String sql, @Nullable Object... parameters) {
        HeartbeatConnection own = ownConnection;
        if (own != null) {
            try {
                int rows = own.update(sql, parameters);
                if (ownConnectionFailing) {
                    ownConnectionFailing = false;
                    logger.info("Critter node " + node.id() + " heartbeats on its own connection again");
                }
                return rows;
            } catch (DataAccessException ex) {
                if (!ownConnectionFailing) {
                    ownConnectionFailing = true;
                    logger.warn("Critter node " + node.id() + " could not use the heartbeat's own connection (outside "
                            + "the application's pool) and heartbeats on a pooled one until it can: " + ex.getMessage());
                }
            }
        }
        return jdbc.sql(sql).params(parameters).update();
    }

    private static void tell(List<Runnable> listeners) {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException ex) {
                logger.warn("Critter: a node listener failed: " + ex, ex);
            }
        }
    }

    private void recover() {
        if (!running) {
            return;
        }
        ReleasedRows released;
        try {
            released = recovery.recover();
        } catch (DataAccessException | TransactionException ex) {
            logger.warn("Critter node recovery failed, will run again in " + NodeRecovery.text(settings.nodeHeartbeat())
                    + ": " + ex.getMessage());
            return;
        }
        if (released.any()) {
            tell(listeners);
        }
    }

    private static @Nullable String localHostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception ex) {
            return null; // only shown to people reading the table
        }
    }

    /**
     * A node as {@code critter_nodes} has it.
     * @param nodeId its id (new each start)
     * @param serviceName the service it runs
     * @param hostName the host it runs on, if known
     * @param startedAt when it registered (database clock)
     * @param heartbeatAt its last heartbeat (database clock)
     */
    public record NodeDescription(UUID nodeId, String serviceName, @Nullable String hostName, Instant startedAt,
                                  Instant heartbeatAt) {
    }
}
