package dev.critter.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.time.ClockChanges;

/**
 * A clock that stands still until a test moves it. Declared as a {@link Clock} bean, it is the
 * clock Critter reads for envelopes, due times and expiry, and moving it ends Critter's waits
 * (scheduled messages, cooldowns) that became due, so time-based tests are exact and fast.
 * <pre>{@code
 * @Bean TestClock clock() { return new TestClock(); }
 * ...
 * bus.schedule(new Remind("r"), Duration.ofHours(1));
 * clock.advance(Duration.ofHours(1));   // the reminder is delivered now
 * }</pre>
 */
public final class TestClock extends Clock implements ClockChanges {

    private final List<Runnable> listeners;
    private final ZoneId zone;
    private volatile Instant now;

    /** Creates a clock standing at the current time, in UTC. */
    public TestClock() {
        this(Instant.now());
    }

    /**
     * Creates a clock standing at the given instant, in UTC.
     * @param start the instant the clock stands at
     */
    public TestClock(Instant start) {
        this(start, ZoneOffset.UTC, new CopyOnWriteArrayList<>());
    }

    private TestClock(Instant start, ZoneId zone, List<Runnable> listeners) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = zone;
        this.listeners = listeners;
    }

    /**
     * Moves the clock forward.
     * @param duration how far, not negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A test clock only moves forward, not by " + duration);
        }
        synchronized (this) {
            now = now.plus(duration);
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(now, zone, listeners);
    }
}
