package dev.critter.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.NoHandlerException;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.handler.HandlerChain;
import dev.critter.time.TimeSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/** Writes dead letters, logs them at WARN with message id and type, and tells the observers. */
final class DeadLettering {

    private static final Log logger = LogFactory.getLog(DeadLettering.class);

    private final DeadLetterStore store;
    private final Observers observers;
    private final TimeSource time;

    DeadLettering(DeadLetterStore store, Observers observers, TimeSource time) {
        this.store = store;
        this.observers = observers;
        this.time = time;
    }

    /**
     * A handler failed for good. When a retry step was refused (a full scheduler, a stopped
     * queue), the refusal is added to the reason rather than lost.
     */
    void handlerFailed(Envelope envelope, HandlerChain chain, String destination, Throwable failure,
                       @Nullable String refusedStep, @Nullable RuntimeException refusal) {
        String message = String.valueOf(failure.getMessage());
        String trace = stackTrace(failure);
        if (refusal != null) {
            message += " (" + refusedStep + ": " + refusal.getMessage() + ")";
            trace += "\n" + refusedStep + ":\n" + stackTrace(refusal);
        }
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination, chain.id(),
                failure.getClass().getName(), message, trace, time.now());
        store.add(letter);
        logger.warn("Moved " + envelope.messageType() + " " + envelope.id() + " to the dead letters after attempt "
                + envelope.attempts() + " of " + chain.shortName() + " failed"
                + (refusal != null ? " and its " + refusedStep + " (" + refusal.getMessage() + ")" : "")
                + " (dead letter " + letter.id() + ")", failure);
        observers.deadLettered(letter);
    }

    /**
     * A message that could not be sent or scheduled. A requeue or scheduled retry names the one
     * chain it is meant for: the dead letter keeps that chain, so a replay runs only it, not the
     * message's other handlers that had succeeded.
     */
    void undeliverable(Envelope envelope, String destination, RuntimeException failure) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination,
                envelope.headers().get(ChainRunner.CHAIN_HEADER),
                failure.getClass().getName(), "Not delivered: " + failure.getMessage(),
                stackTrace(failure), time.now());
        store.add(letter);
        logger.warn("Could not send " + envelope.messageType() + " " + envelope.id() + " to " + destination + " ("
                + failure.getMessage() + "); moved to the dead letters (dead letter " + letter.id() + ")");
        observers.deadLettered(letter);
    }

    /** A message arrived where no handler takes it. */
    void noHandler(Envelope envelope, String destination, NoHandlerException problem) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination, null,
                NoHandlerException.class.getName(), problem.getMessage(), "", time.now());
        store.add(letter);
        logger.warn("No handler for " + envelope.messageType() + " " + envelope.id() + " received at "
                + destination + "; moved to the dead letters (dead letter " + letter.id() + ")");
        observers.deadLettered(letter);
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
