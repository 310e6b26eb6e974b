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
    private List<Pending> stored = List.of();

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
        if (pending.isEmpty()) {
            return;
        }
        List<Inbox.Entry> entries = new ArrayList<>(pending.size());
        pending.forEach(p -> entries.add(p.entry()));
        Set<InboxRows.Key> keys = inbox.insertInTransaction(entries);
        List<Pending> inserted = new ArrayList<>(keys.size());
        for (Pending p : pending) {
            InboxRows.Key key = new InboxRows.Key(p.entry().envelope().id(), p.entry().destination().toString());
            if (keys.remove(key)) {
                inserted.add(p);
            }
        }
        stored = inserted;
    }

    @Override
    public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(inbox);
        List<Pending> committed = stored;
        pending.clear();
        savepoints.clear();
        stored = List.of();
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
