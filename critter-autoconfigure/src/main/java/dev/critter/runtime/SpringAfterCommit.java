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
    public void onCommit(Runnable report) {
        @Nullable CommitReports reports = (CommitReports) TransactionSynchronizationManager.getResource(CommitReports.class);
        if (reports == null) {
            reports = new CommitReports();
            TransactionSynchronizationManager.bindResource(CommitReports.class, reports);
            TransactionSynchronizationManager.registerSynchronization(reports);
        }
        reports.reports.add(report);
    }

    /** What observers hear of the messages a transaction stored in durable endpoints, once it committed. */
    private static final class CommitReports implements TransactionSynchronization {
        private final List<Runnable> reports = new ArrayList<>();

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(CommitReports.class);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(CommitReports.class, this);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(CommitReports.class);
            List<Runnable> committed = List.copyOf(reports);
            reports.clear();
            if (status == STATUS_COMMITTED) {
                for (Runnable report : committed) {
                    try {
                        report.run();
                    } catch (RuntimeException ex) {
                        logger.warn("Critter: an observer failed after a commit: " + ex, ex);
                    }
                }
            }
        }
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
    @Override
    public boolean inTransaction() {
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
            if (status == STATUS_COMMITTED) {
                send(released);
            } else if (status == STATUS_ROLLED_BACK) {
                if (logger.isDebugEnabled()) {
                    logger.debug("Dropped " + released.size() + " message(s) published in a transaction that rolled back");
                }
            } else {
                logger.warn("Dropped " + released.size() + " message(s) published in a transaction whose outcome "
                        + "is unknown (the transaction manager could not tell whether it committed)");
            }
        }
    }
}
