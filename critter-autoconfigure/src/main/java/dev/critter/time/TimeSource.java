package dev.critter.time;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Critter's one source of time: the application's {@link Clock} (or the system clock) for
 * timestamps, due times and expiry, and {@link Waiter}s that wait on that same clock. With a
 * clock that implements {@link ClockChanges}, moving the clock wakes every wait, so tests are
 * exact and never wait for the wall clock.
 *
 * <p>The time source of {@link #system()} also keeps a coarse clock for {@link #coarseNow()}: while
 * it is read more often than about once a millisecond, a {@code critter-clock} thread refreshes a
 * cached instant every millisecond or so and readers take that instead of reading the clock. Closing
 * the time source stops that thread for good.
 */
public final class TimeSource implements AutoCloseable {

    private final Clock clock;
    private final boolean announcesChanges;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    /** Only on the system clock: any other clock (a test clock, the application's) is read exactly. */
    private final @Nullable ClockTicker ticker;
    private final @Nullable CoarseClock coarse;

    /**
     * Creates a time source on the given clock.
     * @param clock the clock to read; a {@link ClockChanges} clock also drives the waits
     */
    public TimeSource(Clock clock) {
        this(clock, false);
    }

    private TimeSource(Clock clock, boolean coarse) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = coarse ? new ClockTicker(clock) : null;
        this.coarse = ticker != null ? ticker.clock() : null;
        this.announcesChanges = clock instanceof ClockChanges;
        if (clock instanceof ClockChanges changes) {
            changes.onChange(this::clockChanged);
        }
    }

    /**
     * Returns a time source on the system clock in UTC, whose {@link #coarseNow()} may serve a
     * cached instant while it is read often; close it when done with it.
     * @return a time source on the system clock in UTC
     */
    public static TimeSource system() {
        return new TimeSource(Clock.systemUTC(), true);
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
     * Returns the clock's current instant, or, on the system clock while this is called more often
     * than about once a millisecond, an instant read from it at most about a millisecond ago (later
     * when the machine is too busy to run the {@code critter-clock} thread on time). Made for
     * timestamps that need not be exact, as the sent-at time of a queued message: on some machines
     * (a VM on kvm-clock) reading the clock costs a quarter of what publishing a message costs. Values served from the cache
     * never go back in time while it is in use. On any other clock this is {@link #now()}.
     * @return the clock's current instant, or a slightly older one on the system clock
     */
    public Instant coarseNow() {
        CoarseClock cached = coarse;
        return cached != null ? cached.read() : clock.instant();
    }

    /**
     * Stops the {@code critter-clock} thread, if it runs, and waits for it to end; reads go to the
     * clock until they come fast again, which starts a new one. Critter's runtime calls this when
     * it stops.
     */
    public void stopTicking() {
        if (ticker != null) {
            ticker.stop();
        }
    }

    /** Whether the {@code critter-clock} thread runs, for tests. */
    boolean ticking() {
        return ticker != null && ticker.running();
    }

    /** Stops the {@code critter-clock} thread, if it runs, for good: reads go to the clock from now on. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
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
