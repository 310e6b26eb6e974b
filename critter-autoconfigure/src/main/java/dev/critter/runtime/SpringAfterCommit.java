package dev.critter.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.critter.Envelope;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Holds messages in the current Spring transaction through a {@link TransactionSynchronization}:
 * one holder per transaction, bound to it as a resource (so a suspended outer transaction keeps
 * its own), sent in publish order once it has committed, dropped when it rolled back. A rollback
 * to a savepoint ({@code PROPAGATION_NESTED}) drops what was published since that savepoint.
 * With durability the holder stores its messages in the transaction as it is about to commit
 * ({@code beforeCommit}: the outbox, or a durable endpoint's table), so a crash after the commit
 * loses none of them.
 */
final class SpringAfterCommit implements AfterCommit {

    private static final Log logger = LogFactory.getLog(SpringAfterCommit.class);

    private final Dispatcher dispatcher;

    SpringAfterCommit(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean hold(Envelope envelope) {
        if (!inTransaction()) {
            return false;
        }
        held().add(envelope, false);
        return true;
    }

    @Override
    public boolean hold(List<Envelope> envelopes, boolean fromWorker) {
        if (!inTransaction()) {
            return false;
        }
        Held held = held();
        for (Envelope envelope : envelopes) {
            held.add(envelope, fromWorker);
        }
        return true;
    }

    @Override
    public void watchSavepoints(DefaultMessageContext context) {
        if (inTransaction()) {
            TransactionSynchronizationManager.registerSynchronization(new AttemptSavepoints(context));
        }
    }

    /**
     * Synchronization without an actual transaction (PROPAGATION_SUPPORTS outside one) has
     * nothing to commit, so it holds nothing; after the commit Spring clears synchronization
     * before {@code afterCompletion}, so what listeners publish then is sent at once.
     */
    private static boolean inTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive();
    }

    private Held held() {
        @Nullable Held held = (Held) TransactionSynchronizationManager.getResource(this);
        if (held == null) {
            held = new Held();
            TransactionSynchronizationManager.bindResource(this, held);
            TransactionSynchronizationManager.registerSynchronization(held);
        }
        return held;
    }

    /**
     * Sends each held message to each of its destinations on its own: after the commit nobody can
     * retry, so a destination that refuses (full, stopped) gets a dead letter and the rest go on.
     */
    private void send(List<Pending> envelopes) {
        for (Pending pending : envelopes) {
            try {
                dispatcher.dispatchCommitted(pending.envelope(), pending.fromWorker());
            } catch (RuntimeException ex) {
                // Its dead letter failed too (the store is down, say): that must not cost the
                // messages after it theirs, which Spring would drop with the exception.
                Envelope envelope = pending.envelope();
                logger.error("Lost " + envelope.messageType() + " " + envelope.id() + ", published in a transaction "
                        + "that committed: it could neither be sent nor kept as a dead letter", ex);
            }
        }
    }

    /** A held message, and whether a queue worker's handler published it (it must not block that worker). */
    private record Pending(Envelope envelope, boolean fromWorker) {
    }

    /** Drops what a transactional handler's attempt published since a savepoint that rolled back. */
    private static final class AttemptSavepoints implements TransactionSynchronization {

        private final DefaultMessageContext context;
        /** How many messages the attempt held when each savepoint was made. */
        private final Map<Object, Integer> savepoints = new IdentityHashMap<>();

        AttemptSavepoints(DefaultMessageContext context) {
            this.context = context;
        }

        @Override
        public void savepoint(Object savepoint) {
            savepoints.put(savepoint, context.heldCount());
        }

        /**
         * A savepoint made before the attempt began is the attempt's own ({@code NESTED} handler)
         * or its caller's: rolling back to it fails the attempt, whose context drops everything.
         */
        @Override
        public void savepointRollback(Object savepoint) {
            Integer kept = savepoints.remove(savepoint);
            if (kept != null) {
                context.dropHeldAfter(kept);
            }
        }
    }

    /** The messages of one transaction, and the callbacks that release or drop them. */
    private final class Held implements TransactionSynchronization {

        private final List<Pending> envelopes = new ArrayList<>(4);
        /** How many messages were held when each savepoint was made; Spring tells only those registered then. */
        private final Map<Object, Integer> savepoints = new IdentityHashMap<>();
        /** What {@code beforeCommit} stored in the transaction; only the committing thread touches it. */
        private TransactionOutbox.@Nullable Stored stored;

        void add(Envelope envelope, boolean fromWorker) {
            envelopes.add(new Pending(envelope, fromWorker));
        }

        @Override
        public void savepoint(Object savepoint) {
            savepoints.put(savepoint, envelopes.size());
        }

        /**
         * Drops what was published since the savepoint. A savepoint made before this holder was
         * registered is unknown here, and then everything held came after it.
         */
        @Override
        public void savepointRollback(Object savepoint) {
            Integer kept = savepoints.remove(savepoint);
            int keep = kept != null ? Math.min(kept, envelopes.size()) : 0;
            envelopes.subList(keep, envelopes.size()).clear();
        }

        /**
         * Stores what is held in the transaction, with durability, in one call: a failure here
         * rolls the transaction back, and its caller gets the exception. A read-only transaction
         * cannot take rows: its messages stay in memory, as without durability. Messages published
         * after this (by a callback of another synchronization) are kept in memory too.
         */
        @Override
        public void beforeCommit(boolean readOnly) {
            TransactionOutbox outbox = dispatcher.transactionOutbox();
            if (outbox == null || readOnly || envelopes.isEmpty() || stored != null) {
                return;
            }
            List<TransactionOutbox.Held> held = new ArrayList<>(envelopes.size());
            for (Pending pending : envelopes) {
                held.add(new TransactionOutbox.Held(pending.envelope(), pending.fromWorker()));
            }
            TransactionOutbox.Stored result = outbox.store(held);
            if (result != null) {
                stored = result;
                envelopes.clear();
                savepoints.clear();
            }
        }

        /** Observers hear of the stored messages before the durable endpoints' own callbacks queue them. */
        @Override
        public void afterCommit() {
            TransactionOutbox outbox = dispatcher.transactionOutbox();
            if (outbox != null && stored != null) {
                outbox.announce(stored);
            }
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(SpringAfterCommit.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(SpringAfterCommit.this, this);
        }

        /**
         * Released here rather than in {@code afterCommit}: Spring collects the synchronizations
         * for this call after {@code afterCommit} ran, so messages published from another
         * synchronization's {@code afterCommit} are released too instead of being lost.
         */
        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(SpringAfterCommit.this);
            List<Pending> released = List.copyOf(envelopes);
            envelopes.clear();
            savepoints.clear();
            TransactionOutbox.Stored storedInTransaction = stored;
            stored = null;
            TransactionOutbox outbox = dispatcher.transactionOutbox();
            if (storedInTransaction != null && outbox != null) {
                try {
                    if (status == STATUS_COMMITTED) {
                        outbox.committed(storedInTransaction);
                    } else if (status == STATUS_ROLLED_BACK) {
                        outbox.rolledBack(storedInTransaction);
                    } else {
                        outbox.outcomeUnknown(storedInTransaction);
                    }
                } catch (RuntimeException ex) {
                    // The rows are committed (or gone with the transaction): the relay has them.
                    // The messages held after them must still go.
                    logger.error("Sending the outbox messages of a completed transaction failed; the outbox relay "
                            + "sends what is left of them", ex);
                }
            }
            if (status == STATUS_COMMITTED) {
                send(released);
            } else if (status == STATUS_ROLLED_BACK) {
                if (logger.isDebugEnabled()) {
                    logger.debug("Dropped " + released.size() + " message(s) published in a transaction that rolled back");
                }
            } else if (!released.isEmpty()) {
                logger.warn("Dropped " + released.size() + " message(s) published in a transaction whose outcome "
                        + "is unknown (the transaction manager could not tell whether it committed)");
            }
        }
    }
}
