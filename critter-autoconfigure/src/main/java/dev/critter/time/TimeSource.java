package dev.critter.time;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Critter's one source of time: the application's {@link Clock} (or the system clock) for
 * timestamps, due times and expiry, and {@link Waiter}s that wait on that same clock. With a
 * clock that implements {@link ClockChanges}, moving the clock wakes every wait, so tests are
 * exact and never wait for the wall clock.
 */
public final class TimeSource {

    private final Clock clock;
    private final boolean announcesChanges;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

    /**
     * Creates a time source on the given clock.
     * @param clock the clock to read; a {@link ClockChanges} clock also drives the waits
     */
    public TimeSource(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.announcesChanges = clock instanceof ClockChanges;
        if (clock instanceof ClockChanges changes) {
            changes.onChange(this::clockChanged);
        }
    }

    /**
     * Returns a time source on the system clock in UTC.
     * @return a time source on the system clock in UTC
     */
    public static TimeSource system() {
        return new TimeSource(Clock.systemUTC());
    }

    /**
     * Returns the clock.
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the clock's current instant.
     * @return the clock's current instant
     */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Returns a new waiter on this time source, for one thread's waits.
     * @return a new waiter on this time source, for one thread's waits
     */
    public Waiter newWaiter() {
        return new Waiter(this);
    }

    /**
     * Waits on the calling thread until the clock reaches {@code due}.
     * @param due when to return
     * @return {@code false} when interrupted first (the interrupt flag is restored)
     */
    public boolean sleepUntil(Instant due) {
        try {
            newWaiter().awaitUntil(due);
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Tells whether moving the clock wakes the waits; when not (a {@code Clock.fixed} bean, say), a wait
     * also ends once as much real time passed as the clock said was left, so it cannot last for ever.
     * @return whether the clock implements {@link ClockChanges}
     */
    public boolean announcesChanges() {
        return announcesChanges;
    }

    void register(Waiter waiter) {
        waiting.add(waiter);
    }

    void unregister(Waiter waiter) {
        waiting.remove(waiter);
    }

    private void clockChanged() {
        for (Waiter waiter : waiting) {
            waiter.recheck();
        }
    }
}
