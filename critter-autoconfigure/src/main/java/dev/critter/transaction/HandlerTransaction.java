package dev.critter.transaction;

import java.sql.Connection;
import java.util.function.Supplier;

/**
 * The transaction one handler chain's attempts run in, decided once at start-up: which
 * transaction manager, with which attributes. Each attempt begins its own (or joins its caller's,
 * as the propagation says); the runtime releases the handler's cascades inside it, so they are
 * held until the commit and dropped on rollback.
 */
public interface HandlerTransaction {

    /**
     * Begins the transaction of one attempt on the calling thread.
     * @return the running attempt, to commit or roll back on the same thread
     * @throws RuntimeException when the transaction manager cannot begin one (no connection, say):
     *         the attempt failed, and the error policy decides what follows
     */
    Attempt begin();

    /**
     * Returns what a {@link Connection} handler parameter gets: the running transaction's JDBC
     * connection, as {@code DataSourceUtils.getConnection} finds it.
     * @return the source of the connection, per attempt
     * @throws IllegalStateException when the chain has no {@code Connection} parameter (its data
     *         source was not looked up at start-up)
     */
    Supplier<Connection> connection();

    /**
     * Describes the transaction for diagnostics.
     * @return e.g. {@code PROPAGATION_REQUIRED,ISOLATION_DEFAULT on 'transactionManager' (JdbcTransactionManager),
     *         because parameter 2 is a JdbcTemplate}
     */
    String describe();

    /** One attempt's transaction, used on the thread that began it. */
    interface Attempt {

        /**
         * Tells whether an actual transaction runs: not under {@code SUPPORTS} without a caller's
         * transaction, {@code NOT_SUPPORTED} or {@code NEVER}.
         * @return whether an actual transaction runs, in which cascades are held until its commit
         */
        boolean isActive();

        /**
         * Tells whether the attempt joined a transaction its caller began ({@code invoke} inside a
         * transaction, propagation {@code REQUIRED}): nothing commits here, and a rollback marks
         * the caller's whole transaction rollback-only, so retrying inside it is pointless.
         * @return whether the attempt joined its caller's transaction
         */
        boolean isJoined();

        /**
         * Commits. {@code committed} runs once the commit succeeded and before after-commit
         * callbacks send what the transaction held (so observers hear of the handler before its
         * cascades), or right away when nothing commits here; it also runs when the handler had
         * marked the transaction rollback-only, which then rolls back without an error.
         * A failure of another after-commit callback, once the data is committed, is logged and
         * not thrown: a committed handler is never run again.
         * @param committed what to run once committed
         * @throws RuntimeException when the transaction did not commit (it is rolled back)
         */
        void commit(Runnable committed);

        /**
         * Rolls back, unless the transaction is already completed; never throws: a rollback that
         * fails is logged and added to {@code cause} as suppressed.
         * @param cause why the attempt rolls back
         */
        void rollback(Throwable cause);
    }
}
