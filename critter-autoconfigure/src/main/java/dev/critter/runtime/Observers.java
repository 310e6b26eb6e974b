package dev.critter.runtime;

import java.util.List;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.handler.HandlerChain;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/** Fans every event out to the registered observers; an observer that throws is logged, never fatal. */
final class Observers implements MessageObserver {

    private static final Log logger = LogFactory.getLog(Observers.class);

    private final MessageObserver[] observers;

    Observers(List<MessageObserver> observers) {
        this.observers = observers.toArray(MessageObserver[]::new);
    }

    private interface Event {
        void fire(MessageObserver observer);
    }

    private void each(Event event) {
        for (MessageObserver observer : observers) {
            try {
                event.fire(observer);
            } catch (RuntimeException ex) {
                logger.warn("Message observer " + observer.getClass().getName() + " failed", ex);
            }
        }
    }

    @Override public void published(Envelope e) { each(o -> o.published(e)); }
    @Override public void invoked(Envelope e) { each(o -> o.invoked(e)); }
    @Override public void noRoute(Envelope e) { each(o -> o.noRoute(e)); }
    @Override public void sent(Envelope e, String d) { each(o -> o.sent(e, d)); }
    @Override public void sendFailed(Envelope e, String d, Throwable f) { each(o -> o.sendFailed(e, d, f)); }
    @Override public void scheduled(Envelope e, String d) { each(o -> o.scheduled(e, d)); }
    @Override public void scheduledDue(Envelope e, String d) { each(o -> o.scheduledDue(e, d)); }
    @Override public void received(Envelope e, String d) { each(o -> o.received(e, d)); }
    @Override public void executed(Envelope e, HandlerChain c, long n, @Nullable Throwable f) { each(o -> o.executed(e, c, n, f)); }
    @Override public void retrying(Envelope e, HandlerChain c, FailureAction a, Throwable f) { each(o -> o.retrying(e, c, a, f)); }
    @Override public void noHandler(Envelope e, String d) { each(o -> o.noHandler(e, d)); }
    @Override public void expired(Envelope e, String d) { each(o -> o.expired(e, d)); }
    @Override public void deadLettered(DeadLetter d) { each(o -> o.deadLettered(d)); }
    @Override public void discarded(Envelope e, HandlerChain c, Throwable f) { each(o -> o.discarded(e, c, f)); }
    @Override public void finished(Envelope e, String d) { each(o -> o.finished(e, d)); }
    @Override public void started(RuntimeFigures figures) { each(o -> o.started(figures)); }
}
