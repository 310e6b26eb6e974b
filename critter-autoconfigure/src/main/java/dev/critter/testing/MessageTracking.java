package dev.critter.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.IMessageBus;
import dev.critter.handler.HandlerDescriptor;
import dev.critter.runtime.MessageObserver;

import org.jspecify.annotations.Nullable;

/**
 * Runs an action and waits until every message it caused has finished: cascades through local
 * queues, delayed messages due within the timeout, retries and dead letters. Records nothing
 * outside a session, and a session sees only messages its own action caused, so activity never
 * leaks from one test into the next.
 * <pre>{@code
 * TrackedSession session = tracking.invokeAndWait(new PlaceOrder("o-1"));
 * assertThat(session.executed().singleMessage(OrderPlaced.class).orderId()).isEqualTo("o-1");
 * }</pre>
 */
public final class MessageTracking implements MessageObserver {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final IMessageBus bus;
    private final Duration timeout;
    private final boolean allowFailures;
    private final AtomicReference<@Nullable ActiveSession> current;

    /**
     * Creates the tracking.
     * @param bus the bus actions publish through
     */
    public MessageTracking(IMessageBus bus) {
        this(bus, DEFAULT_TIMEOUT, false, new AtomicReference<>());
    }

    private MessageTracking(IMessageBus bus, Duration timeout, boolean allowFailures,
                            AtomicReference<@Nullable ActiveSession> current) {
        this.bus = bus;
        this.timeout = timeout;
        this.allowFailures = allowFailures;
        this.current = current;
    }

    /**
     * Returns a copy that waits this long.
     * @param timeout how long to wait for everything to finish
     * @return a configured copy
     */
    public MessageTracking withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new MessageTracking(bus, timeout, allowFailures, current);
    }

    /**
     * Returns a copy whose sessions do not fail when handlers throw (expected dead letters, say).
     * @return a copy whose sessions do not fail when handlers throw (expected dead letters, say)
     */
    public MessageTracking allowingFailures() {
        return new MessageTracking(bus, timeout, true, current);
    }

    /**
     * Invokes a message inline and waits for everything it caused.
     * @param message a message to invoke inline
     * @return what it caused
     */
    public TrackedSession invokeAndWait(Object message) {
        return executeAndWait(() -> bus.invoke(message));
    }

    /**
     * Publishes a message and waits for everything it caused.
     * @param message a message to publish
     * @return what it caused
     */
    public TrackedSession publishAndWait(Object message) {
        return executeAndWait(() -> bus.publish(message));
    }

    /**
     * Sends a message and waits for everything it caused.
     * @param message a message to send (it must have a route)
     * @return what it caused
     */
    public TrackedSession sendAndWait(Object message) {
        return executeAndWait(() -> bus.send(message));
    }

    /**
     * Runs the action on this thread and waits for every message it published or invoked, and
     * their cascades.
     * @param action code that uses the bus (directly or through application services)
     * @return what it caused
     * @throws TrackingException on timeout, or when a handler failed without a later success
     */
    public TrackedSession executeAndWait(Runnable action) {
        ActiveSession session = new ActiveSession(Thread.currentThread(), timeout);
        if (!current.compareAndSet(null, session)) {
            throw new IllegalStateException("Another tracked session is running; tracked sessions cannot overlap");
        }
        try {
            Throwable actionFailure = null;
            try {
                action.run();
            } catch (RuntimeException | Error ex) {
                actionFailure = ex;
            } finally {
                session.actionFinished();
            }
            boolean quiet;
            try {
                quiet = session.awaitQuiet();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new TrackingException(table(session, "Interrupted while waiting"), ex);
            }
            if (!quiet) {
                throw new TrackingException(table(session, "Timed out after " + timeout + " with " + session.open()
                        + " message deliveries still open"));
            }
            List<TrackedEvent> failures = session.unresolvedFailures();
            if (actionFailure != null && !allowFailures) {
                throw new TrackingException(table(session, "The action threw " + actionFailure), actionFailure);
            }
            if (!failures.isEmpty() && !allowFailures) {
                TrackedEvent first = failures.get(0);
                throw new TrackingException(table(session, failures.size() + " handler failure(s) without a later "
                        + "success, first: " + first.detail() + " (use tracking.allowingFailures() when expected)"),
                        first.failure());
            }
            List<TrackedEvent> events = session.events();
            return new TrackedSession(events, ActivityTable.render("Tracked session: " + events.size() + " events", events));
        } finally {
            current.set(null);
        }
    }

    private static String table(ActiveSession session, String headline) {
        return ActivityTable.render(headline, session.events());
    }

    private @Nullable ActiveSession session() {
        return current.get();
    }

    @Override
    public void published(Envelope envelope) {
        ActiveSession s = session();
        if (s != null && s.adopt(envelope)) {
            s.record(TrackedEvent.Kind.PUBLISHED, envelope, "", null, 0);
        }
    }

    @Override
    public void invoked(Envelope envelope) {
        ActiveSession s = session();
        if (s != null && s.adopt(envelope)) {
            s.record(TrackedEvent.Kind.INVOKED, envelope, "inline", null, 0);
        }
    }

    @Override
    public void noRoute(Envelope envelope) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.NO_ROUTES, envelope, "no route", null, 0);
        }
    }

    @Override
    public void sent(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.SENT, envelope, destination, null, 1);
        }
    }

    @Override
    public void sendFailed(Envelope envelope, String destination, Throwable failure) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.SEND_FAILED, envelope, destination + ": " + failure.getMessage(), failure, -1);
        }
    }

    @Override
    public void scheduled(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.scheduled(envelope, destination);
        }
    }

    @Override
    public void scheduledDue(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.scheduledDue(envelope, destination);
        }
    }

    @Override
    public void received(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.RECEIVED, envelope, destination, null, 0);
        }
    }

    @Override
    public void executed(Envelope envelope, HandlerDescriptor handler, long nanos, @Nullable Throwable failure) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.executed(envelope, handler.shortName(), failure);
        }
    }

    @Override
    public void retrying(Envelope envelope, HandlerDescriptor handler, FailureAction action, Throwable failure) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.RETRYING, envelope, action.kind() + " after attempt " + envelope.attempts(),
                    failure, 0);
        }
    }

    @Override
    public void noHandler(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.NO_HANDLERS, envelope, destination, null, 0);
        }
    }

    @Override
    public void expired(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.EXPIRED, envelope, "deliver-by " + envelope.deliverBy(), null, 0);
        }
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        ActiveSession s = session();
        if (s != null && s.tracks(deadLetter.envelope())) {
            s.record(TrackedEvent.Kind.DEAD_LETTERED, deadLetter.envelope(), deadLetter.exceptionType() + ": "
                    + deadLetter.exceptionMessage(), null, 0);
        }
    }

    @Override
    public void discarded(Envelope envelope, HandlerDescriptor handler, Throwable failure) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.record(TrackedEvent.Kind.DISCARDED, envelope, handler.shortName() + ": " + failure, failure, 0);
        }
    }

    @Override
    public void finished(Envelope envelope, String destination) {
        ActiveSession s = session();
        if (s != null && s.tracks(envelope)) {
            s.deliveryFinished();
        }
    }
}
