package dev.critter.runtime;

import java.util.List;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.FailureAction;
import dev.critter.handler.HandlerDescriptor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Fans every event out to the registered observers; an observer that throws is logged, never
 * fatal. Plain loops rather than a shared helper taking a lambda: events fire several times per
 * message, and a capturing lambda per event is an allocation on the hot path.
 */
final class Observers implements MessageObserver {

    private static final Log logger = LogFactory.getLog(Observers.class);

    private final MessageObserver[] observers;
    private final boolean timed;

    Observers(List<MessageObserver> observers) {
        this.observers = observers.toArray(MessageObserver[]::new);
        this.timed = observers.stream().anyMatch(MessageObserver::timesHandlers);
    }

    @Override
    public boolean timesHandlers() {
        return timed;
    }

    private static void failed(MessageObserver observer, RuntimeException ex) {
        logger.warn("Message observer " + observer.getClass().getName() + " failed", ex);
    }

    @Override
    public void published(Envelope e) {
        for (MessageObserver o : observers) {
            try {
                o.published(e);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void invoked(Envelope e) {
        for (MessageObserver o : observers) {
            try {
                o.invoked(e);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void noRoute(Envelope e) {
        for (MessageObserver o : observers) {
            try {
                o.noRoute(e);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void sent(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.sent(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void accepted(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.accepted(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void sendFailed(Envelope e, String d, Throwable f) {
        for (MessageObserver o : observers) {
            try {
                o.sendFailed(e, d, f);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void scheduled(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.scheduled(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void scheduledDue(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.scheduledDue(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void received(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.received(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void executed(Envelope e, HandlerDescriptor c, long n, @Nullable Throwable f) {
        for (MessageObserver o : observers) {
            try {
                o.executed(e, c, n, f);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void retrying(Envelope e, HandlerDescriptor c, FailureAction a, Throwable f) {
        for (MessageObserver o : observers) {
            try {
                o.retrying(e, c, a, f);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void noHandler(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.noHandler(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void expired(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.expired(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void deadLettered(DeadLetter e) {
        for (MessageObserver o : observers) {
            try {
                o.deadLettered(e);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void discarded(Envelope e, HandlerDescriptor c, Throwable f) {
        for (MessageObserver o : observers) {
            try {
                o.discarded(e, c, f);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void finished(Envelope e, String d) {
        for (MessageObserver o : observers) {
            try {
                o.finished(e, d);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }

    @Override
    public void started(RuntimeFigures e) {
        for (MessageObserver o : observers) {
            try {
                o.started(e);
            } catch (RuntimeException ex) {
                failed(o, ex);
            }
        }
    }
}
