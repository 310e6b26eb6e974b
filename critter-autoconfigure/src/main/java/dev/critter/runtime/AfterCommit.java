package dev.critter.runtime;

import java.util.List;

import dev.critter.Envelope;

import org.springframework.util.ClassUtils;

/**
 * Holds what code outside any handler publishes while its thread runs a Spring transaction, to be
 * sent once the transaction commits and dropped if it rolls back (SPEC §3).
 */
interface AfterCommit {

    /** Used when spring-tx is not on the class path: nothing is ever held. */
    AfterCommit NEVER = new AfterCommit() {
        @Override
        public boolean hold(Envelope envelope) {
            return false;
        }

        @Override
        public boolean hold(List<Envelope> envelopes, boolean fromWorker) {
            return false;
        }

        @Override
        public void watchSavepoints(DefaultMessageContext context) {
        }

        @Override
        public boolean inTransaction() {
            return false;
        }

        @Override
        public void onCommit(Runnable report) {
            report.run();
        }
    };

    /**
     * Runs a report once the current transaction committed (never if it rolls back), before what
     * synchronizations registered later do after the commit: the first report of a transaction
     * registers the reporting ahead of the durable endpoints it is about to store in.
     * @param report tells observers of a message stored in the transaction
     */
    void onCommit(Runnable report);

    /**
     * Tells whether the calling thread runs an actual Spring transaction with synchronization.
     * @return whether what is published now would be held for a commit
     */
    boolean inTransaction();

    /**
     * Holds one message for the current transaction, if there is one.
     * @param envelope a message published outside any handler, routes already checked
     * @return {@code true} when it is held for the current transaction; {@code false} when no
     *         transaction is active and the caller sends it now
     */
    boolean hold(Envelope envelope);

    /**
     * Holds a handler's cascades for the current transaction, if there is one: the caller's (a
     * handler invoked outside any handler) or the handler's own (a transactional handler).
     * @param envelopes the cascades, in publish order
     * @param fromWorker whether a queue worker runs the handler: after the commit its cascades are
     *                   sent as a handler's, which never wait on a full queue (SPEC §4)
     * @return {@code true} when they are held for the current transaction; {@code false} when no
     *         transaction is active and the caller sends them now
     */
    boolean hold(List<Envelope> envelopes, boolean fromWorker);

    /**
     * Makes a rollback to a savepoint made in the current transaction from now on drop what the
     * attempt published since that savepoint. A transactional handler's messages wait in its
     * context until it returns, out of the transaction's sight, so its savepoints must tell it.
     * @param context the attempt of a transactional handler, running in the current transaction
     */
    void watchSavepoints(DefaultMessageContext context);

    /**
     * Decides once, at start-up, whether transactions can be joined: spring-tx is an optional
     * dependency, and without it no class of it may be loaded.
     * @param dispatcher what sends the held messages after the commit
     * @return the Spring-backed hold, or {@link #NEVER}
     */
    static AfterCommit forClassPath(Dispatcher dispatcher) {
        if (ClassUtils.isPresent("org.springframework.transaction.support.TransactionSynchronizationManager",
                AfterCommit.class.getClassLoader())) {
            return new SpringAfterCommit(dispatcher);
        }
        return NEVER;
    }
}
