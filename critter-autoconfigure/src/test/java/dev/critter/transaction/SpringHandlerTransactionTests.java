package dev.critter.transaction;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.SmartTransactionObject;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One attempt's transaction: what commit and rollback promise the runtime, on a transaction manager that records its steps. */
class SpringHandlerTransactionTests {

    private final RecordingManager manager = new RecordingManager();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void theCommitCallbackRunsOnceCommittedAndBeforeOtherAfterCommitCallbacks() {
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();
        assertThat(attempt.isActive()).isTrue();
        assertThat(attempt.isJoined()).isFalse();
        assertThat(TransactionSynchronizationManager.getCurrentTransactionName()).isEqualTo("OrderHandler.handle(PlaceOrder)");
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                events.add("held messages sent");
            }
        });

        attempt.commit(() -> events.add("handler reported"));

        assertThat(manager.steps).containsExactly("begin", "commit");
        assertThat(events).containsExactly("handler reported", "held messages sent");
    }

    @Test
    void anAfterCommitCallbackThatThrowsOnceCommittedIsNotTheAttemptsFailure() {
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                throw new IllegalStateException("a listener failed after the commit");
            }
        });

        attempt.commit(() -> events.add("handler reported"));

        assertThat(manager.steps).containsExactly("begin", "commit");
        assertThat(events).containsExactly("handler reported");
    }

    @Test
    void aCommitThatFailsThrowsWithoutReportingTheHandlerAndARollbackAfterItIsANoOp() {
        manager.failCommit = true;
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();

        assertThatThrownBy(() -> attempt.commit(() -> events.add("handler reported")))
                .isInstanceOf(TransactionSystemException.class);
        attempt.rollback(new IllegalStateException("the commit failed"));

        assertThat(events).isEmpty();
        // Spring ends a transaction whose commit failed (its outcome unknown) without a rollback.
        assertThat(manager.steps).containsExactly("begin", "commit failed");
    }

    @Test
    void aParticipantMarkingTheTransactionRollbackOnlyFailsTheCommit() {
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();
        TransactionStatus inner = manager.getTransaction(new DefaultTransactionDefinition());
        manager.rollback(inner);

        assertThatThrownBy(() -> attempt.commit(() -> events.add("handler reported")))
                .isInstanceOf(UnexpectedRollbackException.class);
        assertThat(events).isEmpty();
        assertThat(manager.steps).containsExactly("begin", "rollback");
    }

    @Test
    void anAttemptInsideACallersTransactionJoinsItAndCommitsNothingItself() {
        TransactionStatus caller = manager.getTransaction(new DefaultTransactionDefinition());
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();
        assertThat(attempt.isActive()).isTrue();
        assertThat(attempt.isJoined()).isTrue();

        attempt.commit(() -> events.add("handler reported"));
        assertThat(events).containsExactly("handler reported");
        assertThat(manager.steps).containsExactly("begin");

        manager.commit(caller);
        assertThat(manager.steps).containsExactly("begin", "commit");
    }

    @Test
    void aFailedAttemptInsideACallersTransactionMarksItRollbackOnly() {
        TransactionStatus caller = manager.getTransaction(new DefaultTransactionDefinition());
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();

        attempt.rollback(new IllegalStateException("handler failed"));

        assertThatThrownBy(() -> manager.commit(caller)).isInstanceOf(UnexpectedRollbackException.class);
    }

    @Test
    void notSupportedRunsWithoutAnActualTransactionAndStillReportsTheHandler() {
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_NOT_SUPPORTED).begin();
        assertThat(attempt.isActive()).isFalse();
        assertThat(attempt.isJoined()).isFalse();

        attempt.commit(() -> events.add("handler reported"));

        assertThat(events).containsExactly("handler reported");
        assertThat(manager.steps).isEmpty();
    }

    @Test
    void aRollbackThatFailsIsAddedToTheCauseAndNotThrown() {
        manager.failRollback = true;
        HandlerTransaction.Attempt attempt = transaction(TransactionDefinition.PROPAGATION_REQUIRED).begin();
        IllegalStateException cause = new IllegalStateException("handler failed");

        attempt.rollback(cause);

        assertThat(cause.getSuppressed()).singleElement().isInstanceOf(TransactionSystemException.class);
        assertThat(TransactionSynchronizationManager.isSynchronizationActive()).as("cleaned up").isFalse();
    }

    @Test
    void withoutAConnectionParameterAskingForTheConnectionIsAnError() {
        assertThatThrownBy(() -> transaction(TransactionDefinition.PROPAGATION_REQUIRED).connection())
                .isInstanceOf(IllegalStateException.class);
        assertThat(new SpringHandlerTransaction(manager, new DefaultTransactionAttribute(), "d",
                TransactionConnections.of(new SimpleDriverDataSource()), null).connection()).isNotNull();
    }

    private SpringHandlerTransaction transaction(int propagation) {
        DefaultTransactionAttribute attribute = new DefaultTransactionAttribute(propagation);
        attribute.setName("OrderHandler.handle(PlaceOrder)");
        return new SpringHandlerTransaction(manager, attribute, "test", null, null);
    }

    /** Records begin, commit and rollback; transactions live in a thread-local like JDBC's. */
    static final class RecordingManager extends AbstractPlatformTransactionManager {

        final List<String> steps = new CopyOnWriteArrayList<>();
        private final ThreadLocal<Tx> current = new ThreadLocal<>();
        boolean failCommit;
        boolean failRollback;

        static final class Tx {
            boolean rollbackOnly;
        }

        /** What the manager gets back: the thread's transaction, or none yet. */
        static final class Handle implements SmartTransactionObject {
            Tx tx;

            Handle(Tx tx) {
                this.tx = tx;
            }

            @Override
            public boolean isRollbackOnly() {
                return tx != null && tx.rollbackOnly;
            }

            @Override
            public void flush() {
            }
        }

        @Override
        protected Object doGetTransaction() {
            return new Handle(current.get());
        }

        @Override
        protected boolean isExistingTransaction(Object transaction) {
            return ((Handle) transaction).tx != null;
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            Handle handle = (Handle) transaction;
            handle.tx = new Tx();
            current.set(handle.tx);
            steps.add("begin");
        }

        @Override
        protected Object doSuspend(Object transaction) {
            Tx suspended = current.get();
            current.remove();
            return suspended;
        }

        @Override
        protected void doResume(Object transaction, Object suspendedResources) {
            current.set((Tx) suspendedResources);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (failCommit) {
                steps.add("commit failed");
                throw new TransactionSystemException("commit failed");
            }
            steps.add("commit");
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            steps.add("rollback");
            if (failRollback) {
                throw new TransactionSystemException("rollback failed");
            }
        }

        @Override
        protected void doSetRollbackOnly(DefaultTransactionStatus status) {
            current.get().rollbackOnly = true;
        }

        @Override
        protected void doCleanupAfterCompletion(Object transaction) {
            current.remove();
        }
    }
}
