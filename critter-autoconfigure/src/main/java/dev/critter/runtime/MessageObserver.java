package dev.critter.runtime;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.handler.HandlerDescriptor;

import org.jspecify.annotations.Nullable;

/**
 * Hears what happens to every message: metrics, logging and test tracking are observers.
 * Called on the thread where the event happens; implementations must be fast and must not throw.
 * Handlers are described by an immutable {@link HandlerDescriptor}: observers learn who ran,
 * never get a way to run a handler themselves.
 * Each {@link #sent} (and each {@link #scheduled}) is later matched by exactly one
 * {@link #finished} (or {@link #sendFailed} / {@link #scheduledDue}), which is how test tracking
 * knows when everything caused by an action is done.
 */
public interface MessageObserver {

    /**
     * Tells whether this observer uses handler durations.
     * @return whether this observer uses the durations passed to {@link #executed}; when no
     * observer does, handlers are not timed (two clock reads per message saved)
     */
    default boolean timesHandlers() {
        return false;
    }

    /**
     * Hears that a message was published or cascaded.
     * @param envelope a message published or cascaded, before it is sent to its routes
     */
    default void published(Envelope envelope) {
    }

    /**
     * Hears that a message is run inline.
     * @param envelope a message run inline by {@code invoke}
     */
    default void invoked(Envelope envelope) {
    }

    /**
     * Hears that a published message has no route.
     * @param envelope a published message that no route takes
     */
    default void noRoute(Envelope envelope) {
    }

    /**
     * Hears that a message is about to be handed to an endpoint.
     * @param envelope a message about to be handed to an endpoint
     * @param destination its address
     */
    default void sent(Envelope envelope, String destination) {
    }

    /**
     * @param envelope a message the endpoint accepted (after {@link #sent}): count published
     *                 messages here, so a refused send is never counted
     * @param destination its address
     */
    default void accepted(Envelope envelope, String destination) {
    }

    /**
     * Hears that an endpoint refused a message.
     * @param envelope a message the endpoint refused (after {@link #sent})
     * @param destination its address
     * @param failure why (e.g. the queue stayed full)
     */
    default void sendFailed(Envelope envelope, String destination, Throwable failure) {
    }

    /**
     * Hears that a message is stored until it is due.
     * @param envelope a message stored until due
     * @param destination where it goes when due
     */
    default void scheduled(Envelope envelope, String destination) {
    }

    /**
     * Hears that a scheduled message came due and was sent on.
     * @param envelope a scheduled message that was due and was sent on
     * @param destination its address
     */
    default void scheduledDue(Envelope envelope, String destination) {
    }

    /**
     * Hears that a worker took a message.
     * @param envelope a message a worker took
     * @param destination the endpoint it came from
     */
    default void received(Envelope envelope, String destination) {
    }

    /**
     * Hears that a handler attempt ended.
     * @param envelope the handled message (its attempt number set)
     * @param handler the handler that ran
     * @param nanos how long the attempt took (0 when no observer {@link #timesHandlers() times handlers})
     * @param failure what the handler threw, or {@code null} on success
     */
    default void executed(Envelope envelope, HandlerDescriptor handler, long nanos, @Nullable Throwable failure) {
    }

    /**
     * Hears that a retry step is about to be taken.
     * @param envelope the failed message
     * @param handler the handler that failed
     * @param action the retry step about to be taken
     * @param failure what the handler threw
     */
    default void retrying(Envelope envelope, HandlerDescriptor handler, FailureAction action, Throwable failure) {
    }

    /**
     * Hears that no handler takes a message where it arrived.
     * @param envelope a message with no handler
     * @param destination where it arrived
     */
    default void noHandler(Envelope envelope, String destination) {
    }

    /**
     * Hears that a message was discarded past its deliver-by time.
     * @param envelope a message past its deliver-by time
     * @param destination where it arrived
     */
    default void expired(Envelope envelope, String destination) {
    }

    /**
     * Hears that a message was moved to the dead letters.
     * @param deadLetter a message moved to the dead letters
     */
    default void deadLettered(DeadLetter deadLetter) {
    }

    /**
     * Hears that a discard policy dropped a message.
     * @param envelope a message dropped by a {@code discard()} policy
     * @param handler the handler that failed
     * @param failure what the handler threw
     */
    default void discarded(Envelope envelope, HandlerDescriptor handler, Throwable failure) {
    }

    /**
     * Hears that a delivery is complete.
     * @param envelope a delivery that is complete, whatever its outcome
     * @param destination its endpoint
     */
    default void finished(Envelope envelope, String destination) {
    }

    /**
     * Hears that the runtime started its queues.
     * @param figures live figures of the runtime, once its queues are started
     */
    default void started(RuntimeFigures figures) {
    }
}
