package dev.critter.durability.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.durability.Backlog;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.Batcher;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.time.TimeSource;
import dev.critter.transport.Destination;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled messages in PostgreSQL ({@code critter_scheduled_envelopes}): they survive restarts
 * and crashes, and the nodes of a service share them, each message delivered by one node.
 * <ul>
 *   <li>{@link #schedule} outside a transaction writes the row through a {@link Batcher} (one
 *       multi-row insert for everyone scheduling at that moment) and returns once it committed.</li>
 *   <li>{@link #scheduleInTransaction} writes it in the caller's Spring transaction on this
 *       {@code DataSource}: it exists if and only if that transaction commits.</li>
 *   <li>A poller on the background threads claims due rows for this node in one
 *       {@code UPDATE ... (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING} statement,
 *       hands them to the runtime, and deletes those their destination accepted; refused ones go
 *       back to waiting. It runs every {@code critter.durability.poll-interval}, and sooner for a
 *       message due before that: one scheduled in this process, or the earliest row it saw.</li>
 *   <li>Due times are compared with the database clock ({@code due_at <= now()}).</li>
 * </ul>
 */
public final class JdbcMessageScheduler implements MessageScheduler {

    private static final Log logger = LogFactory.getLog(JdbcMessageScheduler.class);

    /** How long a caller of {@link #schedule} waits for room in the insert batches, and for its batch to commit. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ScheduledRows rows;
    private final EnvelopeColumns columns;
    private final TimeSource time;
    private final Batcher<ScheduledRows.Row> inserts;
    private final ScheduledMessagePoller poller;
    private final Supplier<@Nullable Backlog> backlog;

    /**
     * Creates the scheduler; its poller delivers nothing before {@link #start}.
     * @param dataSource the application's PostgreSQL data source
     * @param schema Critter's schema, ready
     * @param columns writes and reads the envelope columns
     * @param node this node, whose id claims rows
     * @param settings poll interval, batch size, lease
     * @param work the background threads the poller and the insert batches run on
     * @param time the runtime's clock, which tells how far away a due time is for early wake-ups
     * @param backlog the latest backlog measurement, for {@link #pending()}
     */
    public JdbcMessageScheduler(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, DurabilityNode node,
                                DurabilitySettings settings, BackgroundWork work, TimeSource time,
                                Supplier<@Nullable Backlog> backlog) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.jdbc = new JdbcTemplate(dataSource);
        this.columns = columns;
        this.time = time;
        this.backlog = backlog;
        TransactionTemplate ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        ownTransaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.rows = new ScheduledRows(jdbc, schema, columns);
        this.inserts = new Batcher<>("scheduled-message inserts", work, settings.batchSize(),
                Math.max(settings.batchSize() * 20, 10_000), WRITE_TIMEOUT,
                batch -> ownTransaction.executeWithoutResult(status -> rows.insert(batch)));
        this.poller = new ScheduledMessagePoller(rows, node.id(), settings.batchSize(), settings.pollInterval(),
                settings.nodeLease(), work);
    }

    /**
     * Stores the envelope's row, batched with other callers', and returns once it committed.
     * @param envelope the envelope, with {@code scheduledAt} set
     * @param destination the endpoint to deliver it to when due
     * @throws IllegalStateException when the row did not commit (the database is unreachable, or
     *         behind for longer than 30 s): nothing was scheduled
     */
    @Override
    public void schedule(Envelope envelope, Destination destination) {
        ScheduledRows.Row row = row(envelope, destination);
        CompletableFuture<Void> written = inserts.add(row);
        Batcher.await(written, WRITE_TIMEOUT.multipliedBy(2));
        wakeFor(row.due());
    }

    /**
     * Stores the envelope's row in the calling thread's Spring transaction, when it has one on
     * this data source that can write; after the commit, wakes the poller if the message is due
     * before its next poll.
     */
    @Override
    public boolean scheduleInTransaction(Envelope envelope, Destination destination, Runnable afterRollback) {
        if (!canScheduleInTransaction()) {
            return false;
        }
        ScheduledRows.Row row = row(envelope, destination);
        rows.insert(List.of(row));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    wakeFor(row.due());
                } else {
                    afterRollback.run();
                }
            }
        });
        return true;
    }

    /**
     * Tells whether the calling thread runs a Spring transaction that can write, on this data source.
     * @return whether {@link #scheduleInTransaction} would store in it
     */
    @Override
    public boolean canScheduleInTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()
                && transactionOnThisDataSource();
    }

    /**
     * A transaction manager on another database (or none bound to this one) would let the insert
     * autocommit on a connection of its own: not "in the transaction". Then the runtime holds the
     * message until the commit, as without durability. Only the connection the transaction already
     * holds is looked at: asking {@code DataSourceUtils} for one would take a connection of this
     * pool and keep it bound to the caller's thread until that other transaction ends.
     */
    private boolean transactionOnThisDataSource() {
        if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)) {
            return false;
        }
        try {
            return !holder.getConnection().getAutoCommit();
        } catch (SQLException ex) {
            return false;
        }
    }

    /** Due envelopes wait for room at their destination, and a refused one stays scheduled. */
    @Override
    public boolean keepsRefusedDeliveries() {
        return true;
    }

    /**
     * Returns how many scheduled messages wait, on every node: the rows no node has claimed, as
     * the backlog figures last measured them (every {@code critter.durability.node-heartbeat}),
     * plus this node's rows still waiting to be written.
     * @return how many scheduled messages wait
     */
    @Override
    public int pending() {
        Backlog measured = backlog.get();
        long waiting = (measured == null ? 0 : measured.scheduledWaiting()) + inserts.pending();
        return (int) Math.min(Integer.MAX_VALUE, waiting);
    }

    @Override
    public void start(DueMessageDispatcher dispatcher) {
        poller.start(Objects.requireNonNull(dispatcher, "dispatcher"), null);
    }

    /**
     * Starts delivering the due rows for these destinations only: rows for destinations this
     * application does not have (another service's, sharing the schema) are left to their nodes.
     */
    @Override
    public void start(DueMessageDispatcher dispatcher, Set<Destination> destinations) {
        poller.start(Objects.requireNonNull(dispatcher, "dispatcher"),
                destinations.stream().map(Destination::toString).toArray(String[]::new));
    }

    /**
     * Stops delivering: a poll in progress gives back the rows it claimed and did not hand out,
     * and deletes those it did. Every scheduled message stays in the table for the next start or
     * another node. Rows still waiting to be written are written first.
     * @param timeout how long to wait for a poll in progress
     */
    @Override
    public void stop(Duration timeout) {
        inserts.drain();
        if (!poller.stop(timeout)) {
            logger.warn("Critter: the scheduled-message poller did not give back all its claimed rows within " + timeout
                    + "; live nodes release them after critter.durability.node-lease");
        }
    }

    /**
     * Sets where a due row that can never be delivered (its destination does not parse: never
     * written by Critter) goes, once, its reason named; without one such a row is given back and
     * logged at every poll that claims it.
     * @param deadLetters stores a dead letter, committed when it returns
     */
    public void deadLettersTo(Consumer<DeadLetter> deadLetters) {
        poller.deadLettersTo(deadLetters, time::now);
    }

    /** Polls as soon as a thread is free: rows were released by node recovery, say. */
    public void wake() {
        poller.wake();
    }

    private ScheduledRows.Row row(Envelope envelope, Destination destination) {
        Instant due = Objects.requireNonNull(envelope.scheduledAt(), "envelope.scheduledAt");
        return new ScheduledRows.Row(envelope, destination.toString(), due, columns.body(envelope));
    }

    private void wakeFor(Instant due) {
        poller.wakeIn(Duration.between(time.now(), due));
    }

    @Override
    public String toString() {
        return "JdbcMessageScheduler[" + rows + "]";
    }
}
