package dev.critter.durability.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.Batcher;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.OutboxRows.RowKey;
import dev.critter.transport.Destination;
import dev.critter.transport.Outbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox in PostgreSQL ({@code critter_outgoing_envelopes}). A committing
 * transaction's messages become rows in it, owned by this node, in multi-row inserts on the
 * transaction's own connection; after the commit the runtime sends them from memory and the rows
 * whose destination accepted them are deleted in batches ({@link Batcher}). Rows left behind (a
 * destination that refused, a crash, a node that stopped) are sent by the {@link OutboxRelay}.
 * <p>
 * Rows this node is sending right now are kept in a set from before their insert until their
 * delete committed, so the relay never sends a row that the after-commit path still has: a
 * message is sent twice only when a node dies (or is presumed dead) between a send and the
 * commit of its row's delete.
 */
public final class JdbcOutbox implements Outbox, SmartLifecycle {

    /** Stops after the runtime (whose sends end first) and before the node row goes. */
    public static final int PHASE = JdbcNodes.PHASE + 512;

    private static final Log logger = LogFactory.getLog(JdbcOutbox.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final DurabilityNode node;
    private final OutboxRows rows;
    private final Set<RowKey> inFlight = ConcurrentHashMap.newKeySet();
    private final Batcher<RowKey> deletes;
    private final OutboxRelay relay;
    private final AtomicBoolean warnedUncovered = new AtomicBoolean();
    private volatile boolean running;

    /**
     * Creates the outbox; its relay starts when the runtime calls {@link #relayTo}.
     * @param dataSource the application's PostgreSQL data source (its transactions are the ones covered)
     * @param schema Critter's schema, ready
     * @param columns writes and reads the envelope columns
     * @param node this node, owner of the rows it writes
     * @param settings the poll interval, the batch size
     * @param work the background threads of the deletes and the relay
     */
    public JdbcOutbox(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, DurabilityNode node,
                      DurabilitySettings settings, BackgroundWork work) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.node = node;
        this.rows = new OutboxRows(schema, columns, settings.batchSize());
        this.deletes = new Batcher<>("outbox deletes", work, settings.batchSize(),
                Math.max(10_000, settings.batchSize() * 4), Duration.ofSeconds(30), keys -> rows.delete(jdbc, keys));
        this.relay = new OutboxRelay(jdbc, rows, node.id(), settings, work, inFlight, this::delete);
    }

    @Override
    public boolean storeInTransaction(List<Outgoing> outgoing) {
        if (!coveredByTransaction()) {
            if (warnedUncovered.compareAndSet(false, true)) {
                logger.warn("Critter could not store the messages of a transaction in it: the committing "
                        + "transaction does not run on Critter's DataSource (another transaction manager's?). They "
                        + "are sent from memory after the commit, as without durability, and lost if the process "
                        + "dies before; run the transaction on the DataSource's (or a JPA) transaction manager. "
                        + "Logged once");
            }
            return false;
        }
        List<RowKey> keys = new ArrayList<>(outgoing.size());
        for (Outgoing entry : outgoing) {
            keys.add(RowKey.of(entry));
        }
        // In flight before the rows exist: the relay can never see one of them committed and idle.
        inFlight.addAll(keys);
        try {
            rows.insert(jdbc, node.id(), outgoing);
        } catch (RuntimeException | Error ex) {
            keys.forEach(inFlight::remove);
            throw ex;
        }
        return true;
    }

    /**
     * Tells whether the calling thread's transaction holds a connection of Critter's data source
     * outside auto-commit: {@code DataSourceTransactionManager} binds one, and so does
     * {@code JpaTransactionManager} when its dialect exposes the JDBC connection (Hibernate's does).
     */
    private boolean coveredByTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)) {
            return false;
        }
        try {
            return !holder.getConnection().getAutoCommit();
        } catch (SQLException ex) {
            return false;
        }
    }

    @Override
    public void accepted(List<Outgoing> outgoing) {
        List<RowKey> keys = new ArrayList<>(outgoing.size());
        for (Outgoing entry : outgoing) {
            keys.add(RowKey.of(entry));
        }
        delete(keys);
    }

    @Override
    public void leftBehind(Outgoing outgoing, RuntimeException reason) {
        inFlight.remove(RowKey.of(outgoing));
        relay.refused(outgoing.destination());
    }

    @Override
    public void discarded(List<Outgoing> outgoing) {
        for (Outgoing entry : outgoing) {
            inFlight.remove(RowKey.of(entry));
        }
    }

    @Override
    public void relayTo(Set<Destination> destinations, Sender sender) {
        relay.start(destinations, sender);
    }

    @Override
    public void stopRelay() {
        relay.stop();
    }

    /** Makes the relay look for rows at once: rows of a dead node were released ({@code JdbcNodes.onRowsReleased}). */
    public void wakeRelay() {
        relay.wake();
    }

    /** Deletes accepted rows in batches; they stay in flight until their delete committed. */
    private void delete(List<RowKey> keys) {
        CompletableFuture<Void> written;
        try {
            written = deletes.addAll(keys);
        } catch (RuntimeException ex) {
            keys.forEach(inFlight::remove);
            logger.warn("Critter could not queue the delete of " + keys.size() + " sent outbox row(s) (" + ex.getMessage()
                    + "); the relay sends them again (duplicates)");
            return;
        }
        written.whenComplete((done, failure) -> {
            keys.forEach(inFlight::remove);
            if (failure != null) {
                logger.warn("Critter could not delete " + keys.size() + " sent outbox row(s) (" + failure.getMessage()
                        + "); the relay sends them again (duplicates)");
            }
        });
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * A clean stop, after the runtime's: the relay stops and the deletes pending are written, so
     * the rows this node still owns afterwards are exactly those not sent; the node's own stop
     * ({@link JdbcNodes}, later) releases them to live nodes in the transaction that deletes its row.
     */
    @Override
    public void stop() {
        running = false;
        relay.stop();
        deletes.drain();
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
     * Returns how many rows this node is sending or deleting right now, for tests and diagnostics.
     * @return how many rows are in flight on this node
     */
    public int inFlight() {
        return inFlight.size();
    }
}
