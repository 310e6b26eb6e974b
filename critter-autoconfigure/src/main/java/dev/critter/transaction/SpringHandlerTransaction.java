package dev.critter.transaction;

import java.sql.Connection;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** One chain's transaction on a Spring {@link PlatformTransactionManager}. */
final class SpringHandlerTransaction implements HandlerTransaction {

    private static final Log logger = LogFactory.getLog(SpringHandlerTransaction.class);

    private final PlatformTransactionManager manager;
    private final TransactionDefinition definition;
    private final String description;
    private final @Nullable Supplier<Connection> connection;
    private final @Nullable Integer annotatedPropagation;

    SpringHandlerTransaction(PlatformTransactionManager manager, TransactionDefinition definition, String description,
                             @Nullable Supplier<Connection> connection, @Nullable Integer annotatedPropagation) {
        this.manager = manager;
        this.definition = definition;
        this.description = description;
        this.connection = connection;
        this.annotatedPropagation = annotatedPropagation;
    }

    @Override
    public Attempt begin() {
        return new SpringAttempt(manager, manager.getTransaction(definition), definition.getName());
    }

    @Override
    public Supplier<Connection> connection() {
        if (connection == null) {
            throw new IllegalStateException("No Connection parameter was resolved for " + definition.getName());
        }
        return connection;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The propagation a {@code @Transactional} annotation asked for, {@code null} when the chain is transactional by its parameters. */
    @Nullable Integer annotatedPropagation() {
        return annotatedPropagation;
    }

    @Override
    public String toString() {
        return description;
    }

    private static final class SpringAttempt implements Attempt {

        private final PlatformTransactionManager manager;
        private final TransactionStatus status;
        private final @Nullable String handler;

        SpringAttempt(PlatformTransactionManager manager, TransactionStatus status, @Nullable String handler) {
            this.manager = manager;
            this.status = status;
            this.handler = handler;
        }

        @Override
        public boolean isActive() {
            return status.hasTransaction();
        }

        @Override
        public boolean isJoined() {
            // A NESTED attempt inside the caller's transaction has a savepoint of its own: its
            // rollback goes back to it and leaves the caller's transaction usable.
            return status.hasTransaction() && !status.isNewTransaction() && !status.hasSavepoint();
        }

        @Override
        public void commit(Runnable committed) {
            boolean ownsSynchronization = status instanceof DefaultTransactionStatus defaultStatus
                    ? defaultStatus.isNewSynchronization() : status.isNewTransaction();
            if (!ownsSynchronization || !TransactionSynchronizationManager.isSynchronizationActive()) {
                // Joined (the caller commits) or nothing synchronized: no after-commit work runs here.
                manager.commit(status);
                committed.run();
                return;
            }
            CommitWatch watch = new CommitWatch(committed);
            TransactionSynchronizationManager.registerSynchronization(watch);
            try {
                manager.commit(status);
            } catch (RuntimeException | Error ex) {
                if (!watch.committed) {
                    throw ex;
                }
                // Spring lets an exception from an afterCommit callback escape commit(), though the
                // data is committed: running the handler again would repeat its committed work.
                logger.warn("The transaction of " + handler + " committed, but an after-commit callback "
                        + "failed; the handler is not run again", ex);
                return;
            }
            if (!watch.committed) {
                // The handler marked its transaction rollback-only and returned normally: Spring
                // rolled it back without an error, and the handler is done.
                committed.run();
            }
        }

        @Override
        public void rollback(Throwable cause) {
            if (status.isCompleted()) {
                return;
            }
            try {
                manager.rollback(status);
            } catch (RuntimeException | Error ex) {
                cause.addSuppressed(ex);
                logger.warn("Rolling back the transaction of " + handler + " after it failed (" + cause + ") failed too", ex);
            }
        }
    }

    /**
     * Registered last, ordered first: its {@code afterCommit} runs before any other callback's,
     * including the one that sends the held messages, and proves the data was committed.
     */
    private static final class CommitWatch implements TransactionSynchronization {

        private final Runnable onCommit;
        /** Only the committing thread reads and writes it. */
        boolean committed;

        CommitWatch(Runnable onCommit) {
            this.onCommit = onCommit;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterCommit() {
            committed = true;
            onCommit.run();
        }
    }
}
