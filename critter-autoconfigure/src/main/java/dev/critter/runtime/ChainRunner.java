package dev.critter.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.MessageHandlingException;
import dev.critter.error.ErrorPolicies.FailureDecision;
import dev.critter.handler.HandlerChain;
import dev.critter.transport.Endpoint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one handler chain for one envelope, attempt after attempt, as the error policy says:
 * cascades are held in the attempt's context and published only when it succeeds.
 */
final class ChainRunner {

    /** Header naming the one chain a requeued or retried envelope is meant for. */
    static final String CHAIN_HEADER = "critter-handler";

    private static final Log logger = LogFactory.getLog(ChainRunner.class);

    private final Messaging messaging;

    ChainRunner(Messaging messaging) {
        this.messaging = messaging;
    }

    enum Status { SUCCEEDED, FAILED, DEFERRED }

    record Outcome(Status status, @Nullable Object response, @Nullable Throwable failure) {

        /** What nearly every attempt returns: shared rather than allocated per message. */
        static final Outcome SUCCEEDED = new Outcome(Status.SUCCEEDED, null, null);
    }

    /** Runs on the caller's thread: retries and cooldowns apply, any other final action rethrows. */
    Outcome runInline(Envelope envelope, HandlerChain chain, @Nullable DefaultMessageContext parent,
                      @Nullable Class<?> responseType) {
        return run(envelope, chain, parent, responseType, null);
    }

    /** Runs on a queue worker: every action of the error policy applies. */
    Outcome runQueued(Envelope envelope, HandlerChain chain, @Nullable Class<?> responseType, Endpoint from) {
        return run(envelope, chain, null, responseType, from);
    }

    private Outcome run(Envelope delivered, HandlerChain chain, @Nullable DefaultMessageContext parent,
                        @Nullable Class<?> responseType, @Nullable Endpoint from) {
        int attempt = delivered.attempts() + 1;
        CurrentContext.Slot current = CurrentContext.slot();
        while (true) {
            // The envelope counts the attempts made before this one, so the first attempt uses the
            // delivered envelope as it is (no copy per message); failures record the full count.
            Envelope envelope = delivered.withAttempts(attempt - 1);
            DefaultMessageContext context = new DefaultMessageContext(messaging, envelope, attempt, parent,
                    from != null);
            DefaultMessageContext previous = current.context;
            current.context = context;
            boolean timed = messaging.observers.timesHandlers();
            long start = timed ? System.nanoTime() : 0;
            Throwable failure;
            try {
                Object returned = chain.invoke(envelope.message(), context);
                if (returned instanceof CompletionStage<?> stage) {
                    returned = await(stage);
                }
                Object response = context.takeResponse(returned, responseType);
                // Reported before its cascades are released, so observers see cause before effect.
                messaging.observers.executed(envelope, chain, timed ? System.nanoTime() - start : 0, null);
                context.complete();
                return response == null ? Outcome.SUCCEEDED : new Outcome(Status.SUCCEEDED, response, null);
            } catch (Throwable thrown) {
                failure = unwrap(thrown);
                context.discard();
                envelope = envelope.withAttempts(attempt);
                messaging.observers.executed(envelope, chain, timed ? System.nanoTime() - start : 0, failure);
            } finally {
                current.context = previous;
            }
            if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                // The worker is being stopped: retrying would only delay shutdown. The message is
                // kept as a dead letter rather than lost.
                Thread.currentThread().interrupt();
                return from == null ? new Outcome(Status.FAILED, null, failure) : deadLetter(envelope, chain, from, failure);
            }
            FailureDecision decision = messaging.policies.decide(envelope.message().getClass(), failure, attempt);
            FailureAction action = decision.action();
            if (action.kind() == FailureAction.Kind.RETRY || action.kind() == FailureAction.Kind.RETRY_WITH_COOLDOWN) {
                logRetry(envelope, chain, decision, failure);
                messaging.observers.retrying(envelope, chain, action, failure);
                if (!cooldown(decision.delay())) {
                    return from == null ? new Outcome(Status.FAILED, null, failure)
                            : deadLetter(envelope, chain, from, failure);
                }
                attempt++;
                continue;
            }
            if (from == null) {
                return new Outcome(Status.FAILED, null, failure);
            }
            return finish(envelope, chain, from, decision, failure);
        }
    }

    private Outcome finish(Envelope envelope, HandlerChain chain, Endpoint from, FailureDecision decision,
                           Throwable failure) {
        FailureAction action = decision.action();
        switch (action.kind()) {
            case SCHEDULE_RETRY -> {
                logRetry(envelope, chain, decision, failure);
                messaging.observers.retrying(envelope, chain, action, failure);
                Envelope retry = envelope.toBuilder().header(CHAIN_HEADER, chain.id())
                        .scheduledAt(messaging.now().plus(decision.delay())).build();
                messaging.schedule(retry, from.address());
                return new Outcome(Status.DEFERRED, null, failure);
            }
            case REQUEUE -> {
                logRetry(envelope, chain, decision, failure);
                messaging.observers.retrying(envelope, chain, action, failure);
                messaging.send(envelope.toBuilder().header(CHAIN_HEADER, chain.id()).build(), from, true);
                return new Outcome(Status.DEFERRED, null, failure);
            }
            case DISCARD -> {
                logger.warn("Discarded " + envelope.messageType() + " " + envelope.id() + " after attempt "
                        + envelope.attempts() + " of " + chain.shortName() + " failed: " + failure);
                messaging.observers.discarded(envelope, chain, failure);
                return new Outcome(Status.FAILED, null, failure);
            }
            default -> {
                return deadLetter(envelope, chain, from, failure);
            }
        }
    }

    private Outcome deadLetter(Envelope envelope, HandlerChain chain, Endpoint from, Throwable failure) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, from.address(), chain.id(),
                failure.getClass().getName(), String.valueOf(failure.getMessage()), stackTrace(failure),
                messaging.now());
        messaging.deadLetters.add(letter);
        logger.warn("Moved " + envelope.messageType() + " " + envelope.id() + " to the dead letters after attempt "
                + envelope.attempts() + " of " + chain.shortName() + " failed (dead letter " + letter.id() + ")",
                failure);
        messaging.observers.deadLettered(letter);
        return new Outcome(Status.FAILED, null, failure);
    }

    private static void logRetry(Envelope envelope, HandlerChain chain, FailureDecision decision, Throwable failure) {
        if (logger.isInfoEnabled()) {
            FailureAction action = decision.action();
            logger.info("Attempt " + envelope.attempts() + " of " + chain.shortName() + " for "
                    + envelope.messageType() + " " + envelope.id() + " failed (" + failure + "); "
                    + action.kind().name().toLowerCase().replace('_', ' ')
                    + (decision.delay().isZero() ? "" : " in " + decision.delay().toMillis() + " ms"));
        }
    }

    /** Waits out a cooldown; returns false when interrupted (shutdown), with the flag restored. */
    private static boolean cooldown(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
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
    static RuntimeException rethrowable(Throwable failure, HandlerChain chain) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new MessageHandlingException(chain.shortName() + " failed: " + failure, failure);
    }

    static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
