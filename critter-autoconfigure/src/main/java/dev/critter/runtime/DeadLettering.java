package dev.critter.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.NoHandlerException;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.StackTraces;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.MessageTypes;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.serialization.UnreadableMessageException.Reason;
import dev.critter.time.TimeSource;
import dev.critter.transport.DeadLetteringEndpoint;
import dev.critter.transport.Endpoint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/** Writes dead letters, logs them at WARN with message id and type, and tells the observers. */
final class DeadLettering {

    private static final Log logger = LogFactory.getLog(DeadLettering.class);

    private final DeadLetterStore store;
    private final Observers observers;
    private final TimeSource time;
    private final MessageTypes types;

    DeadLettering(DeadLetterStore store, Observers observers, TimeSource time, MessageTypes types) {
        this.store = store;
        this.observers = observers;
        this.time = time;
        this.types = types;
    }

    /**
     * A handler failed for good. When a retry step was refused (a full scheduler, a stopped
     * queue), the refusal is added to the reason rather than lost.
     */
    boolean handlerFailed(Envelope envelope, HandlerChain chain, Endpoint from, Throwable failure,
                       @Nullable String refusedStep, @Nullable RuntimeException refusal) {
        String destination = from.address();
        String message = String.valueOf(failure.getMessage());
        String trace = stackTrace(failure);
        if (refusal != null) {
            message += " (" + refusedStep + ": " + refusal.getMessage() + ")";
            trace += "\n" + refusedStep + ":\n" + stackTrace(refusal);
        }
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination, chain.id(),
                failure.getClass().getName(), message, trace, time.now());
        if (from instanceof DeadLetteringEndpoint own && keptByTransport(own, letter)) {
            logger.warn("Moved " + envelope.messageType() + " " + envelope.id() + " to the dead-letter queue of "
                    + destination + " after attempt " + envelope.attempts() + " of " + chain.shortName() + " failed"
                    + (refusal != null ? " and its " + refusedStep + " (" + refusal.getMessage() + ")" : ""), failure);
            observers.deadLettered(letter);
            return true;
        }
        if (!keep(letter, chain.shortName())) {
            return false;
        }
        logger.warn("Moved " + envelope.messageType() + " " + envelope.id() + " to the dead letters after attempt "
                + envelope.attempts() + " of " + chain.shortName() + " failed"
                + (refusal != null ? " and its " + refusedStep + " (" + refusal.getMessage() + ")" : "")
                + " (dead letter " + letter.id() + ")", failure);
        observers.deadLettered(letter);
        return true;
    }

    /**
     * A message that could not be sent or scheduled. A requeue or scheduled retry names the one
     * chain it is meant for: the dead letter keeps that chain, so a replay runs only it, not the
     * message's other handlers that had succeeded.
     */
    boolean undeliverable(Envelope envelope, String destination, RuntimeException failure) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination,
                envelope.headers().get(ChainRunner.CHAIN_HEADER),
                failure.getClass().getName(), "Not delivered: " + failure.getMessage(),
                stackTrace(failure), time.now());
        if (!keep(letter, "sending")) {
            return false;
        }
        logger.warn("Could not send " + envelope.messageType() + " " + envelope.id() + " to " + destination + " ("
                + failure.getMessage() + "); moved to the dead letters (dead letter " + letter.id() + ")");
        observers.deadLettered(letter);
        return true;
    }

    /** A message arrived where no handler takes it. */
    boolean noHandler(Envelope envelope, String destination, NoHandlerException problem) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination, null,
                NoHandlerException.class.getName(), problem.getMessage(), "", time.now());
        if (!keep(letter, "routing")) {
            return false;
        }
        logger.warn("No handler for " + envelope.messageType() + " " + envelope.id() + " received at "
                + destination + "; moved to the dead letters (dead letter " + letter.id() + ")");
        observers.deadLettered(letter);
        return true;
    }

    /**
     * Bad input: a message whose body could not be read (a durable row or a delivery of an
     * unknown type, or not JSON of its type). Its exact bytes are kept; the exception type is the
     * reason code ({@code unknown-message-type}, {@code unreadable-body}, {@code missing-message-type}),
     * so bad input can be listed apart from handler failures.
     * @return why it could not be read, and whether its dead letter was stored
     */
    Unreadable unreadable(Envelope envelope, String destination, RawMessage raw) {
        UnreadableMessageException problem = raw.problem() != null ? raw.problem() : problemOf(raw);
        Throwable cause = problem.getCause();
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, destination,
                envelope.headers().get(ChainRunner.CHAIN_HEADER), problem.reason().code(),
                String.valueOf(problem.getMessage()), cause != null ? stackTrace(cause) : "", time.now());
        if (!keep(letter, "reading")) {
            return new Unreadable(problem, false);
        }
        logger.warn("Could not read " + envelope.messageType() + " " + envelope.id() + " received at " + destination
                + " (" + problem.reason().code() + ": " + problem.getMessage() + "); its " + raw.body().length
                + " bytes moved to the dead letters (dead letter " + letter.id() + ")");
        observers.deadLettered(letter);
        return new Unreadable(problem, true);
    }

    /** Why a message could not be read, and whether its dead letter was stored. */
    record Unreadable(UnreadableMessageException problem, boolean kept) {
    }

    /**
     * Stores a dead letter. A store that fails (its database unreachable, say) must not stop the
     * message's other handlers nor the worker: the failure is logged at ERROR with everything that
     * identifies the message, and the caller learns that nothing was kept.
     */
    private boolean keep(DeadLetter letter, String step) {
        try {
            store.add(letter);
            return true;
        } catch (RuntimeException ex) {
            Envelope envelope = letter.envelope();
            logger.error("Critter could not store the dead letter " + letter.id() + " of " + envelope.messageType() + " "
                    + envelope.id() + " (" + step + " at " + letter.destination() + " failed: "
                    + letter.exceptionType() + ": " + letter.exceptionMessage() + "); the dead-letter store refused it: "
                    + ex, ex);
            return false;
        }
    }

    /** The transport's own dead-letter queue; a failure there leaves the dead letter to Critter's store. */
    private static boolean keptByTransport(DeadLetteringEndpoint endpoint, DeadLetter letter) {
        try {
            return endpoint.deadLetter(letter);
        } catch (RuntimeException ex) {
            logger.error("The dead-letter queue of " + endpoint.address() + " refused dead letter " + letter.id()
                    + "; it goes to Critter's dead-letter store instead", ex);
            return false;
        }
    }

    /** Why a message that came without a reason did not read, told by the registry of known types. */
    private UnreadableMessageException problemOf(RawMessage raw) {
        String type = raw.messageType();
        if (type.isBlank()) {
            return new UnreadableMessageException(Reason.MISSING_MESSAGE_TYPE, null, "No message type came with the message");
        }
        return types.resolve(type)
                .map(known -> new UnreadableMessageException(Reason.UNREADABLE_BODY, type,
                        "The body of a '" + type + "' message does not read as " + known.getName()))
                .orElseGet(() -> new UnreadableMessageException(Reason.UNKNOWN_MESSAGE_TYPE, type,
                        "No handler or publishing rule in this application knows the message type '" + type + "'"));
    }

    /** The trace as printed, shortened to {@link StackTraces#MAX_CHARS} (top frames and every cause kept). */
    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return StackTraces.shorten(out.toString());
    }
}
