package dev.critter.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.MessageHandlingException;
import dev.critter.error.ErrorPolicies;
import dev.critter.error.ErrorPolicies.FailureDecision;
import dev.critter.handler.HandlerChain;
import dev.critter.time.TimeSource;
import dev.critter.transaction.HandlerTransaction;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeHeaders;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one handler chain for one envelope, attempt after attempt, as the error policy says:
 * cascades are held in the attempt's context and released only when it succeeded. A
 * transactional handler's attempt runs in its own transaction, in which its cascades are released
 * (so they wait for the commit) before it commits; a failure rolls it back, and a retry begins a
 * new one.
 */
final class ChainRunner {

    /** Header naming the one chain a requeued or retried envelope is meant for. */
    static final String CHAIN_HEADER = EnvelopeHeaders.CHAIN_ID;

    /** The destination observations name for handler attempts run inline by {@code invoke}. */
    static final String INLINE = "invoke";

    private static final Log logger = LogFactory.getLog(ChainRunner.class);

    private static final Runnable NOTHING = () -> { };

    private final Observers observers;
    private final ErrorPolicies policies;
    private final DeadLettering deadLettering;
    private final Dispatcher dispatcher;
    private final TimeSource time;
    private final Instrumentation instrumentation;

    ChainRunner(Observers observers, ErrorPolicies policies, DeadLettering deadLettering, Dispatcher dispatcher,
                TimeSource time, Instrumentation instrumentation) {
        this.observers = observers;
        this.policies = policies;
        this.deadLettering = deadLettering;
        this.dispatcher = dispatcher;
        this.time = time;
        this.instrumentation = instrumentation;
    }

    /** UNSETTLED: failed for good, and its dead letter could not be stored (a durable endpoint keeps its copy). */
    enum Status { SUCCEEDED, FAILED, DEFERRED, UNSETTLED }

    record Outcome(Status status, @Nullable Object response, @Nullable Throwable failure) {

        /** What nearly every attempt returns: shared rather than allocated per message. */
        static final Outcome SUCCEEDED = new Outcome(Status.SUCCEEDED, null, null);

        static Outcome failed(Throwable failure) {
            return new Outcome(Status.FAILED, null, failure);
        }
    }

    /** Runs on the caller's thread: retries and cooldowns apply, any other final action rethrows. */
    Outcome runInline(Envelope envelope, HandlerChain chain, @Nullable DefaultMessageContext parent,
                      @Nullable ExpectedReply expected, ContextServices services) {
        return run(envelope, chain, parent, expected, null, services);
    }

    /** Runs on a queue worker: every action of the error policy applies. */
    Outcome runQueued(Envelope envelope, HandlerChain chain, @Nullable ExpectedReply expected, Endpoint from,
                      ContextServices services) {
        return run(envelope, chain, null, expected, from, services);
    }

    private Outcome run(Envelope delivered, HandlerChain chain, @Nullable DefaultMessageContext parent,
                        @Nullable ExpectedReply expected, @Nullable Endpoint from, ContextServices services) {
        int attempt = delivered.attempts() + 1;
        CurrentContext.Slot current = CurrentContext.slot();
        HandlerTransaction transaction = chain.transaction();
        while (true) {
            // The envelope counts the attempts made before this one, so the first attempt uses the
            // delivered envelope as it is (no copy per message); failures record the full count.
            Envelope envelope = delivered.withAttempts(attempt - 1);
            DefaultMessageContext context = new DefaultMessageContext(services, envelope, chain.descriptor(),
                    attempt, parent, from != null);
            // Opened before the context is made current: should an observation handler throw, no
            // context is left behind on this thread to swallow what it publishes next.
            AttemptScope scope = AttemptScope.open(instrumentation, envelope, chain, from);
            DefaultMessageContext previous = current.context;
            current.context = context;
            boolean timed = observers.timesHandlers();
            long start = timed ? System.nanoTime() : 0;
            Object response = null;
            Throwable failure = null;
            HandlerTransaction.Attempt transactionAttempt = null;
            Outcome settled = null;
            try {
                if (transaction != null) {
                    transactionAttempt = transaction.begin();
                    if (alreadyHandled(transactionAttempt, envelope, chain, from)) {
                        current.context = previous;
                        transactionAttempt.commit(NOTHING);
                        settled = Outcome.SUCCEEDED;
                    } else if (transactionAttempt.isActive()) {
                        dispatcher.watchSavepoints(context);
                    }
                }
                if (settled == null) {
                    // The one place a handler attempt is invoked.
                    Object returned = chain.invoke(envelope.message(), context);
                    if (returned instanceof CompletionStage<?> stage) {
                        returned = await(stage);
                    }
                    response = context.takeResponse(returned, expected);
                    if (transactionAttempt != null) {
                        current.context = previous;
                        settled = commit(transactionAttempt, envelope, chain, context, response, timed, start);
                    }
                }
            } catch (Throwable thrown) {
                failure = unwrap(thrown);
                if (transactionAttempt != null) {
                    transactionAttempt.rollback(failure);
                }
                scope.failed(failure);
                context.discard();
                envelope = envelope.withAttempts(attempt);
            } finally {
                current.context = previous;
            }
            if (settled != null) {
                scope.close();
                return settled;
            }
            long nanos = timed ? System.nanoTime() - start : 0;
            if (failure == null) {
                // Reported before its cascades are released, so observers see cause before effect.
                observers.executed(envelope, chain.descriptor(), nanos, null);
                // Released outside the attempt: a cascade that cannot be sent is the send's
                // failure, never the handler's, so the handler that succeeded is not run again.
                // On a worker each undeliverable cascade is dead-lettered; inline, the caller gets it.
                // Still inside the attempt's observation, so the cascades continue its trace.
                RuntimeException unreleased;
                try {
                    unreleased = context.complete();
                } finally {
                    scope.close();
                }
                return released(unreleased, response);
            }
            scope.close();
            observers.executed(envelope, chain.descriptor(), nanos, failure);
            if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                // The worker is being stopped: retrying would only delay shutdown. The message is
                // kept as a dead letter rather than lost.
                Thread.currentThread().interrupt();
                return from == null ? Outcome.failed(failure) : deadLetter(envelope, chain, from, failure, null, null);
            }
            if (from == null && transactionAttempt != null && transactionAttempt.isJoined()) {
                // The failure marked the caller's transaction rollback-only: no retry inside it can
                // succeed, so the caller of invoke gets the exception now.
                return Outcome.failed(failure);
            }
            FailureDecision decision = policies.decide(envelope.message().getClass(), failure, attempt);
            FailureAction action = decision.action();
            if (action.kind() == FailureAction.Kind.RETRY || action.kind() == FailureAction.Kind.RETRY_WITH_COOLDOWN) {
                retrying(envelope, chain, decision, failure);
                if (!cooldown(decision.delay())) {
                    return from == null ? Outcome.failed(failure) : deadLetter(envelope, chain, from, failure, null, null);
                }
                attempt++;
                continue;
            }
            if (from == null) {
                return Outcome.failed(failure);
            }
            return finish(envelope, chain, from, decision, failure);
        }
    }

    private static Outcome released(@Nullable RuntimeException unreleased, @Nullable Object response) {
        if (unreleased != null) {
            return Outcome.failed(unreleased);
        }
        return response == null ? Outcome.SUCCEEDED : new Outcome(Status.SUCCEEDED, response, null);
    }

    /**
     * Marks a durable endpoint's envelope handled in the attempt's transaction, before the handler
     * runs, so the mark commits with the handler's work: a redelivery of an envelope whose handler
     * committed is refused here, and the handler is not run again (idempotent receive). A
     * read-only transaction cannot take the mark: such a handler is marked as one without a
     * transaction is, after it finished.
     */
    private static boolean alreadyHandled(HandlerTransaction.Attempt transaction, Envelope envelope,
                                          HandlerChain chain, @Nullable Endpoint from) {
        if (from instanceof DurableEndpoint durable && transaction.isActive() && !transaction.isReadOnly()
                && !durable.markHandledInTransaction(envelope, chain.id())) {
            if (logger.isDebugEnabled()) {
                logger.debug("Skipped " + chain.shortName() + " for " + envelope.messageType() + " " + envelope.id()
                        + " from " + from.address() + ": already handled (a redelivery)");
            }
            return true;
        }
        return false;
    }

    /**
     * Ends a transactional handler's successful attempt: its cascades are held in its transaction
     * (written to the outbox with durability), then it commits, and they are sent after the commit.
     * Anything thrown here fails the attempt, and the caller rolls the transaction back.
     */
    private Outcome commit(HandlerTransaction.Attempt transaction, Envelope envelope, HandlerChain chain,
                           DefaultMessageContext context, @Nullable Object response, boolean timed, long start) {
        RuntimeException unreleased;
        if (transaction.isActive()) {
            unreleased = context.complete(true);
            // Observers hear of the handler once it committed, before the held cascades go out.
            transaction.commit(() -> observers.executed(envelope, chain.descriptor(),
                    timed ? System.nanoTime() - start : 0, null));
        } else {
            // No actual transaction (SUPPORTS without one, NOT_SUPPORTED, NEVER): as without one.
            observers.executed(envelope, chain.descriptor(), timed ? System.nanoTime() - start : 0, null);
            unreleased = context.complete(false);
            transaction.commit(NOTHING);
        }
        return released(unreleased, response);
    }

    private Outcome finish(Envelope envelope, HandlerChain chain, Endpoint from, FailureDecision decision,
                           Throwable failure) {
        FailureAction action = decision.action();
        switch (action.kind()) {
            case SCHEDULE_RETRY -> {
                retrying(envelope, chain, decision, failure);
                Envelope retry = envelope.toBuilder().header(CHAIN_HEADER, chain.id())
                        .scheduledAt(time.now().plus(decision.delay())).build();
                try {
                    dispatcher.schedule(retry, from.destination());
                } catch (RuntimeException refused) {
                    return deadLetter(envelope, chain, from, failure, "scheduled retry refused", refused);
                }
                return new Outcome(Status.DEFERRED, null, failure);
            }
            case REQUEUE -> {
                retrying(envelope, chain, decision, failure);
                try {
                    dispatcher.send(envelope.toBuilder().header(CHAIN_HEADER, chain.id()).build(), from, true);
                } catch (RuntimeException refused) {
                    return deadLetter(envelope, chain, from, failure, "requeue refused", refused);
                }
                return new Outcome(Status.DEFERRED, null, failure);
            }
            case DISCARD -> {
                logger.warn("Discarded " + envelope.messageType() + " " + envelope.id() + " after attempt "
                        + envelope.attempts() + " of " + chain.shortName() + " failed: " + failure);
                observers.discarded(envelope, chain.descriptor(), failure);
                return Outcome.failed(failure);
            }
            default -> {
                return deadLetter(envelope, chain, from, failure, null, null);
            }
        }
    }

    private Outcome deadLetter(Envelope envelope, HandlerChain chain, Endpoint from, Throwable failure,
                               @Nullable String refusedStep, @Nullable RuntimeException refusal) {
        if (!deadLettering.handlerFailed(envelope, chain, from, failure, refusedStep, refusal)) {
            return new Outcome(Status.UNSETTLED, null, failure);
        }
        return Outcome.failed(failure);
    }

    /** Logs a failed attempt that will be tried again, and tells the observers. */
    private void retrying(Envelope envelope, HandlerChain chain, FailureDecision decision, Throwable failure) {
        logRetry(envelope, chain, decision, failure);
        observers.retrying(envelope, chain.descriptor(), decision.action(), failure);
    }

    private static void logRetry(Envelope envelope, HandlerChain chain, FailureDecision decision, Throwable failure) {
        if (logger.isInfoEnabled()) {
            FailureAction action = decision.action();
            logger.info("Attempt " + envelope.attempts() + " of " + chain.shortName() + " for "
                    + envelope.messageType() + " " + envelope.id() + " failed (" + failure + "); "
                    + action.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (decision.delay().isZero() ? "" : " in " + decision.delay().toMillis() + " ms"));
        }
    }

    /**
     * Waits out a cooldown on the time source's clock (a test clock ends it by moving); returns
     * false when interrupted (shutdown), with the flag restored.
     */
    private boolean cooldown(Duration delay) {
        return delay.isZero() || time.sleepUntil(time.now().plus(delay));
    }

    private static @Nullable Object await(CompletionStage<?> stage) throws Throwable {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException ex) {
            throw ex.getCause() != null ? ex.getCause() : ex;
        }
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Unchecked exceptions and errors travel as they are; checked ones are wrapped. */
    static RuntimeException rethrowable(@Nullable Throwable failure, HandlerChain chain) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new MessageHandlingException(chain.shortName() + " failed: " + failure, failure);
    }
}
