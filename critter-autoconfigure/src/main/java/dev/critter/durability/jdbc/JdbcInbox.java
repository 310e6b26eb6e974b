package dev.critter.durability.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.critter.Envelope;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.Batcher;
import dev.critter.durability.DurabilitySettings;
import dev.critter.transport.Destination;
import dev.critter.transport.EnvelopeHeaders;
import dev.critter.transport.Inbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox in PostgreSQL: the rows of durable local queues in {@code critter_incoming_envelopes},
 * handled ids in {@code critter_handled_messages}, ordered-queue slots in
 * {@code critter_partition_owners}.
 *
 * <ul>
 *   <li>Rows stored outside a transaction go through a {@link Batcher}: one multi-row insert per
 *       group of publishers, each waiting for its commit (group commit). Inside a transaction they
 *       are written with the transaction's other envelopes just before it commits.</li>
 *   <li>Finished deliveries (handled, dead-lettered, requeued) are written in batches that nobody
 *       waits for; a batch that fails is written again later, and at a clean stop before the rows
 *       still held are released.</li>
 *   <li>Handled ids are kept for {@code critter.durability.handled-retention}, then deleted in
 *       batches ({@link HandledRetention}).</li>
 * </ul>
 */
public final class JdbcInbox implements Inbox {

    private static final Log logger = LogFactory.getLog(JdbcInbox.class);

    /** How long a publisher waits for room in the group commit, and then for the commit. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    /** Most finished deliveries waiting to be written before the workers that finish them wait. */
    private static final int PENDING_BATCHES = 20;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final InboxRows rows;
    private final DurabilitySettings settings;
    private final BackgroundWork work;
    private final JdbcNodes nodes;
    private final String releaseOne;
    private final Batcher<StoreRequest> stores;
    private final Batcher<Finished> finishes;
    private final ConcurrentLinkedQueue<Finished> unwritten = new ConcurrentLinkedQueue<>();
    private final BackgroundWork.Agent rewrite;
    private final List<BackgroundWork.Agent> pollers = new CopyOnWriteArrayList<>();
    private final AtomicLong lastFailureWarning = new AtomicLong();

    /**
     * Creates the inbox, its batched writers and its handled-id clean-up agent.
     * @param dataSource the application's PostgreSQL data source
     * @param schema Critter's schema, ready
     * @param columns reads and writes the envelope columns
     * @param nodes this node (rows it holds carry its id); its recovery wakes the pollers
     * @param settings the poll interval, batch size and handled retention
     * @param work the background threads
     */
    public JdbcInbox(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, JdbcNodes nodes,
                     DurabilitySettings settings, BackgroundWork work) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.rows = new InboxRows(schema, columns, nodes.node().id());
        this.settings = settings;
        this.work = work;
        this.nodes = nodes;
        this.releaseOne = "UPDATE " + schema.table("critter_incoming_envelopes") + " SET owner_node_id = NULL "
                + "WHERE id = ? AND destination = ? AND chain_key = ? AND owner_node_id = ? AND status = 'queued'";
        int batch = settings.batchSize();
        this.stores = new Batcher<>("inbox inserts", work, batch, batch * PENDING_BATCHES, STORE_TIMEOUT, this::writeStores);
        this.finishes = new Batcher<>("inbox finishes", work, batch, batch * PENDING_BATCHES, STORE_TIMEOUT,
                this::writeFinishes);
        this.rewrite = work.every("inbox finishes written again", settings.pollInterval(), this::writeAgain);
        new HandledRetention(jdbc, ownTransaction, schema, settings, work);
        nodes.onRowsReleased(() -> pollers.forEach(BackgroundWork.Agent::wake));
    }

    @Override
    public List<Entry> store(List<Entry> entries) {
        List<StoreRequest> requests = new ArrayList<>(entries.size());
        entries.forEach(entry -> requests.add(new StoreRequest(entry)));
        if (BackgroundWork.onBackgroundThread()) {
            // A background agent (a poller sending a due message, say) must not wait for the
            // batcher, whose writer needs one of the same few threads: it writes on its own.
            writeStores(requests);
        } else {
            try {
                Batcher.await(stores.addAll(requests), STORE_TIMEOUT);
            } catch (IllegalStateException gaveUp) {
                abandon(requests);
                throw gaveUp;
            }
        }
        List<Entry> stored = new ArrayList<>(entries.size());
        for (StoreRequest request : requests) {
            RuntimeException failure = request.failure;
            if (failure != null) {
                throw failure;
            }
            if (request.stored) {
                stored.add(request.entry);
            }
        }
        return stored;
    }

    @Override
    public BatchResult storeBatch(List<Entry> entries) {
        List<Entry> stored = new ArrayList<>(entries.size());
        List<Refused> refused = new ArrayList<>();
        RuntimeException unreachableFailure = null;
        int batch = settings.batchSize();
        for (int from = 0; from < entries.size(); from += batch) {
            List<StoreRequest> requests = new ArrayList<>();
            entries.subList(from, Math.min(entries.size(), from + batch)).forEach(e -> requests.add(new StoreRequest(e)));
            try {
                insert(requests);
            } catch (DataAccessResourceFailureException | TransientDataAccessException
                     | CannotCreateTransactionException unreachable) {
                throw unreachable; // not the rows' fault: the caller tries the whole batch again
            } catch (RuntimeException groupFailed) {
                // One row the database refuses must not hold up the others: each on its own.
                for (StoreRequest request : requests) {
                    try {
                        insert(List.of(request));
                    } catch (RuntimeException ex) {
                        request.failure = ex;
                    }
                }
            }
            for (StoreRequest request : requests) {
                RuntimeException failure = request.failure;
                if (failure != null) {
                    refused.add(new Refused(request.entry, failure));
                    if (Refused.passing(failure)) {
                        unreachableFailure = failure;
                    }
                } else if (request.stored) {
                    stored.add(request.entry);
                }
            }
        }
        // Nothing written because the database went away: the caller tries the whole batch again. Every
        // row refused for its own fault (a batch of one bad delivery, say) is an answer, not a reason
        // to try again: tried again, it would be refused for ever and hold up every later batch.
        if (unreachableFailure != null && refused.size() == entries.size()) {
            throw unreachableFailure;
        }
        return new BatchResult(stored, refused);
    }


    /**
     * Writes a group of publishers' envelopes in one statement. When that fails, each is written
     * on its own: one envelope that cannot be written (a body that does not serialize, say) then
     * fails only its own publisher, not the others that happened to share its batch.
     */
    private void writeStores(List<StoreRequest> requests) {
        if (requests.size() == 1) {
            insert(requests);
            return;
        }
        try {
            insert(requests);
        } catch (RuntimeException groupFailed) {
            for (StoreRequest request : requests) {
                try {
                    insert(List.of(request));
                } catch (RuntimeException ex) {
                    request.failure = ex;
                }
            }
        }
    }

    private void insert(List<StoreRequest> requests) {
        List<Entry> entries = new ArrayList<>(requests.size());
        requests.forEach(request -> entries.add(request.entry));
        Set<InboxRows.Key> stored = ownTransaction.execute(status -> rows.insert(jdbc, entries));
        Set<InboxRows.Key> seen = new HashSet<>();
        List<StoreRequest> late = new ArrayList<>();
        for (StoreRequest request : requests) {
            InboxRows.Key key = InboxRows.Key.of(request.entry.envelope(), request.entry.destination());
            // The same envelope twice in one batch is stored once.
            request.stored = stored != null && stored.contains(key) && seen.add(key);
            if (request.stored && !request.committed()) {
                late.add(request);
            }
        }
        giveBack(late);
    }

    /**
     * The publisher stopped waiting (timeout): requests not committed yet are abandoned, so the
     * writer gives their rows back when they commit after all; requests of the same call that did
     * commit are given back here, as nobody will queue them either.
     */
    private void abandon(List<StoreRequest> requests) {
        List<StoreRequest> committed = new ArrayList<>();
        for (StoreRequest request : requests) {
            if (!request.abandon() && request.stored) {
                committed.add(request);
            }
        }
        giveBack(committed);
    }

    /**
     * Rows committed owned by this node that no publisher queues (it gave up waiting): made
     * unowned for the queue's poller to claim, which is woken, instead of sitting owned by a
     * live node (never recovered) until the next start.
     */
    private void giveBack(List<StoreRequest> requests) {
        List<StoreRequest> owned = requests.stream().filter(request -> request.entry.owned()).toList();
        if (owned.isEmpty()) {
            return;
        }
        try {
            int released = 0;
            for (StoreRequest request : owned) {
                released += jdbc.update(releaseOne, ps -> {
                    ps.setObject(1, request.entry.envelope().id());
                    ps.setString(2, request.entry.destination().toString());
                    // Only this entry's row: another chain's row of the message may be running here.
                    ps.setString(3, InboxRows.chainKey(request.entry.envelope().headers().get(EnvelopeHeaders.CHAIN_ID)));
                    ps.setObject(4, nodes.node().id());
                });
            }
            logger.warn("Critter durability: " + released + " inbox row(s) committed after their publisher stopped "
                    + "waiting (" + STORE_TIMEOUT.toSeconds() + " s; the publish failed, yet the message is stored): "
                    + "released for a claim, so they are handled");
        } catch (RuntimeException ex) {
            logger.warn("Critter durability: could not release " + owned.size() + " inbox row(s) committed after "
                    + "their publisher stopped waiting; they are handled after this node stops or restarts: "
                    + ex.getMessage());
        }
        pollers.forEach(BackgroundWork.Agent::wake);
    }

    @Override
    public void storeInTransaction(Entry entry, Consumer<Entry> afterCommit) {
        InboxTransaction.current(this).add(entry, afterCommit);
    }

    /** Writes a transaction's envelopes in it, just before it commits. */
    Set<InboxRows.Key> insertInTransaction(List<Entry> entries) {
        Set<InboxRows.Key> stored = new HashSet<>();
        int batch = settings.batchSize();
        for (int from = 0; from < entries.size(); from += batch) {
            stored.addAll(rows.insert(jdbc, entries.subList(from, Math.min(entries.size(), from + batch))));
        }
        return stored;
    }

    /** Makes the calling thread's transaction fail to commit: a statement that errors aborts it in PostgreSQL. */
    void abortTransaction() {
        try {
            jdbc.execute("SELECT 1 / 0");
        } catch (DataAccessException expected) {
            // the point: the transaction is aborted now
        }
    }

    @Override
    public boolean markHandledInTransaction(Envelope envelope, Destination destination, String chainId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("markHandledInTransaction needs an active transaction (" + envelope.id() + ")");
        }
        if (!coveredByTransaction()) {
            // Written on a connection of its own, the mark would commit even if the handler's
            // transaction (another database's) rolls back, and its retry would be skipped: the
            // handler runs, and the delivery's receipt marks it handled afterwards.
            return true;
        }
        return rows.mark(jdbc, envelope.id(), InboxRows.handledKey(destination, chainId));
    }

    /** Whether the calling thread's transaction holds a connection of the inbox's data source outside auto-commit. */
    private boolean coveredByTransaction() {
        DataSource dataSource = java.util.Objects.requireNonNull(jdbc.getDataSource());
        if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)) {
            return false;
        }
        try {
            return !holder.getConnection().getAutoCommit();
        } catch (java.sql.SQLException ex) {
            return false;
        }
    }

    @Override
    public void finished(Envelope envelope, Destination destination, @Nullable String rowChain, Finish finish) {
        Finished item = new Finished(envelope, new InboxRows.Key(envelope.id(), destination.toString(),
                InboxRows.chainKey(rowChain)), destination, finish);
        if (BackgroundWork.onBackgroundThread()) {
            writeOrKeep(List.of(item));
            return;
        }
        try {
            finishes.add(item);
        } catch (IllegalStateException ex) {
            // The database is behind: kept for the agent that writes failed batches again.
            unwritten.add(item);
        }
    }

    private void writeFinishes(List<Finished> items) {
        writeOrKeep(items);
    }

    /** Writes finished deliveries; when that fails they are kept and written again by an agent. */
    private void writeOrKeep(List<Finished> items) {
        try {
            ownTransaction.executeWithoutResult(status -> writeFinished(items));
        } catch (RuntimeException ex) {
            unwritten.addAll(items);
            long now = System.nanoTime();
            long last = lastFailureWarning.get();
            if (now - last > Duration.ofSeconds(10).toNanos() && lastFailureWarning.compareAndSet(last, now)) {
                logger.warn("Critter durability: could not record " + items.size() + " finished inbox deliveries ("
                        + ex.getMessage() + "); their rows stay and the write is tried again every "
                        + settings.pollInterval().toMillis() + " ms");
            }
            rewrite.wakeIn(settings.pollInterval());
        }
    }

    private void writeFinished(List<Finished> items) {
        Map<InboxRows.Key, Integer> done = new LinkedHashMap<>();
        Map<InboxRows.Key, String> handled = new LinkedHashMap<>();
        Map<String, List<UUID>> received = new LinkedHashMap<>();
        List<Envelope> requeued = new ArrayList<>();
        List<InboxRows.Key> requeuedRows = new ArrayList<>();
        for (Finished item : items) {
            switch (item.finish()) {
                case HANDLED -> handled.put(item.row(),
                        InboxRows.handledKey(item.destination(), item.envelope().headers().get(EnvelopeHeaders.CHAIN_ID)));
                case FORGET -> done.put(item.row(), item.envelope().attempts());
                case SENT_ON -> {
                    done.put(item.row(), item.envelope().attempts());
                    received.computeIfAbsent(item.destination().toString(), d -> new ArrayList<>())
                            .add(item.envelope().id());
                }
                case REQUEUED -> {
                    requeued.add(item.envelope());
                    requeuedRows.add(item.row());
                }
            }
        }
        rows.requeued(jdbc, requeued, requeuedRows);
        rows.handled(jdbc, handled);
        rows.received(jdbc, received);
        done.keySet().removeAll(handled.keySet());
        rows.finish(jdbc, done);
    }

    private void writeAgain() {
        List<Finished> items = new ArrayList<>();
        Finished item;
        while (items.size() < settings.batchSize() && (item = unwritten.poll()) != null) {
            items.add(item);
        }
        if (!items.isEmpty()) {
            writeOrKeep(items);
            if (!unwritten.isEmpty()) {
                rewrite.wake();
            }
        }
    }

    @Override
    public List<Envelope> claimUnordered(Destination destination, int limit) {
        List<Envelope> claimed = ownTransaction.execute(status -> rows.claimUnordered(jdbc, destination, limit));
        return claimed == null ? List.of() : claimed;
    }

    @Override
    public Set<Integer> claimSlots(Destination destination, int slots) {
        Set<Integer> owned = ownTransaction.execute(status -> rows.claimSlots(jdbc, destination, slots));
        return owned == null ? Set.of() : owned;
    }

    @Override
    public List<Envelope> claimInOrder(Destination destination, Set<Integer> slots, int limit) {
        List<Envelope> claimed = ownTransaction.execute(status -> rows.claimInOrder(jdbc, destination, slots, limit));
        return claimed == null ? List.of() : claimed;
    }

    @Override
    public int release(Destination destination, Set<UUID> inFlight) {
        finishes.drain();
        while (!unwritten.isEmpty()) {
            int before = unwritten.size();
            writeAgain();
            if (unwritten.size() >= before) {
                break; // the database refuses: what is left is released by a live node after the lease
            }
        }
        nodes.keepAtStop(inFlight);
        Integer released = ownTransaction.execute(status -> rows.release(jdbc, destination, inFlight));
        return released == null ? 0 : released;
    }

    @Override
    public Runnable poller(String name, Runnable poll) {
        BackgroundWork.Agent agent = work.every(name, settings.pollInterval(), poll);
        pollers.add(agent);
        return agent::wake;
    }

    @Override
    public Duration retryDelay() {
        return settings.pollInterval();
    }

    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    /** One envelope to store, and whether it was (set by the writer before the caller is released). */
    private static final class StoreRequest {
        private static final int PENDING = 0;
        private static final int COMMITTED = 1;
        private static final int ABANDONED = 2;

        final Entry entry;
        /** Writer and publisher race for it once the row committed or the publisher gave up: one of them wins. */
        final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(PENDING);
        volatile boolean stored;
        /** Why this envelope alone could not be written, after its group's statement failed. */
        volatile @Nullable RuntimeException failure;

        StoreRequest(Entry entry) {
            this.entry = entry;
        }

        /** The writer: its row committed; false when the publisher had already given up. */
        boolean committed() {
            return state.compareAndSet(PENDING, COMMITTED) || state.get() == COMMITTED;
        }

        /** The publisher: gives up; false when the row had already committed. */
        boolean abandon() {
            return state.compareAndSet(PENDING, ABANDONED) || state.get() == ABANDONED;
        }
    }

    /** A finished delivery waiting to be written, and the row it finishes. */
    private record Finished(Envelope envelope, InboxRows.Key row, Destination destination, Finish finish) {
    }
}
