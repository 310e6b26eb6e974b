package dev.critter.durability.jdbc;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import dev.critter.transport.Inbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The inbox envelopes of one Spring transaction: written in it with one multi-row insert just
 * before it commits (not one statement per publish), handed to their queues after it committed,
 * dropped if it rolled back. A rollback to a savepoint drops those stored since.
 */
final class InboxTransaction implements TransactionSynchronization {

    private static final Log logger = LogFactory.getLog(InboxTransaction.class);

    private final JdbcInbox inbox;
    private final List<Pending> pending = new ArrayList<>(4);
    private final Map<Object, Integer> savepoints = new IdentityHashMap<>();
    private final List<Pending> stored = new ArrayList<>();
    /** How many of {@code pending} were written. */
    private int written;

    private InboxTransaction(JdbcInbox inbox) {
        this.inbox = inbox;
    }

    /** The calling thread's transaction's envelopes, registered with it on first use. */
    static InboxTransaction current(JdbcInbox inbox) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("storeInTransaction needs an active Spring transaction");
        }
        @Nullable InboxTransaction held = (InboxTransaction) TransactionSynchronizationManager.getResource(inbox);
        if (held == null) {
            held = new InboxTransaction(inbox);
            TransactionSynchronizationManager.bindResource(inbox, held);
            TransactionSynchronizationManager.registerSynchronization(held);
        }
        return held;
    }

    void add(Inbox.Entry entry, Consumer<Inbox.Entry> afterCommit) {
        pending.add(new Pending(entry, afterCommit));
    }

    @Override
    public void savepoint(Object savepoint) {
        savepoints.put(savepoint, pending.size());
    }

    @Override
    public void savepointRollback(Object savepoint) {
        Integer kept = savepoints.remove(savepoint);
        int keep = kept != null ? Math.min(kept, pending.size()) : 0;
        pending.subList(keep, pending.size()).clear();
    }

    @Override
    public void suspend() {
        TransactionSynchronizationManager.unbindResource(inbox);
    }

    @Override
    public void resume() {
        TransactionSynchronizationManager.bindResource(inbox, this);
    }

    /** Inserts the envelopes in the transaction; a failure here fails (rolls back) the commit. */
    @Override
    public void beforeCommit(boolean readOnly) {
        write();
    }

    /**
     * Spring calls {@code beforeCommit} only on the synchronizations registered before the commit
     * began: envelopes stored from another synchronization's {@code beforeCommit} (the outbox
     * routing a committing transaction's messages) are written here instead, still before the
     * commit. Spring swallows an exception thrown here, but a failed statement has aborted the
     * PostgreSQL transaction, so its commit fails: nothing is reported committed that was not.
     * On a rollback the write is rolled back with everything else.
     */
    @Override
    public void beforeCompletion() {
        if (written == pending.size()) {
            return;
        }
        try {
            write();
        } catch (RuntimeException ex) {
            if (!(ex instanceof DataAccessException)) {
                // Nothing reached the database (a body that does not serialize, say): abort the
                // transaction, so its commit fails rather than commit without these envelopes.
                inbox.abortTransaction();
            }
            logger.warn("Critter could not write inbox envelopes at the end of a transaction, which therefore "
                    + "fails to commit (or was rolling back): " + ex, ex);
        }
    }

    /** Writes what was stored since the last write (more may come from another synchronization's beforeCommit). */
    private void write() {
        if (written == pending.size()) {
            return;
        }
        List<Pending> unwritten = new ArrayList<>(pending.subList(written, pending.size()));
        List<Inbox.Entry> entries = new ArrayList<>(unwritten.size());
        unwritten.forEach(p -> entries.add(p.entry()));
        Set<InboxRows.Key> keys = inbox.insertInTransaction(entries);
        written = pending.size();
        for (Pending p : unwritten) {
            InboxRows.Key key = InboxRows.Key.of(p.entry().envelope(), p.entry().destination());
            if (keys.remove(key)) {
                stored.add(p);
            }
        }
    }

    @Override
    public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(inbox);
        List<Pending> committed = List.copyOf(stored);
        pending.clear();
        savepoints.clear();
        stored.clear();
        written = 0;
        if (status != STATUS_COMMITTED) {
            return;
        }
        for (Pending p : committed) {
            try {
                p.afterCommit().accept(p.entry());
            } catch (RuntimeException ex) {
                // Its row is committed: a live node's claim picks it up (this one's after a restart).
                logger.warn("Critter could not queue " + p.entry().envelope().messageType() + " "
                        + p.entry().envelope().id() + " after its transaction committed; its row in the inbox stays "
                        + "and is delivered later: " + ex.getMessage());
            }
        }
    }

    private record Pending(Inbox.Entry entry, Consumer<Inbox.Entry> afterCommit) {
    }
}
