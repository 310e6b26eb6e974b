package dev.critter.time;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The decisions behind a coarse "now" for sent-at times, with no thread of its own: a ticker
 * ({@link ClockTicker}) calls {@link #tick} about every millisecond, tests call it by hand.
 *
 * <p>Why: on some machines (a VM on kvm-clock) reading the system clock costs 25–35 ns, a quarter
 * of what publishing a queued message costs. While publishes come faster than the ticker ticks,
 * one clock read per tick, shared by all publishers, is much cheaper than one per publish; while
 * they come slowly, a ticker would cost more than it saves, so each read goes to the clock.
 *
 * <p>The rules:
 * <ul>
 * <li>With no cached value, {@link #read} reads the clock. When {@value #FAST_STREAK} direct reads
 * in a row each came less than {@value #FAST_NANOS} ns after the previous one, it asks for the
 * ticker (the starter given to the constructor; asking again while it runs is the starter's to
 * ignore cheaply).</li>
 * <li>Each {@link #tick} reads the clock and caches the instant; from then on {@link #read} serves
 * it, marking that someone read it.</li>
 * <li>After {@value #IDLE_TICKS} ticks in a row in which nobody read the cached value, {@code tick}
 * clears it and answers {@code false}: the ticker stops and reads go to the clock again.</li>
 * <li>A cached value never goes back in time within a run of ticks: a clock read earlier than the
 * last cached value (the wall clock was set back) keeps the last one. The first one of a run is not
 * earlier than the last direct read the ticker can see.</li>
 * </ul>
 *
 * <p>Threads: {@link #read} is called by any number of publishers, {@link #tick} and {@link #clear}
 * by one ticker at a time. The cached value is volatile; the rest is plain on purpose, being only a
 * heuristic (a lost update at worst starts the ticker one read later or stops it one run early).
 */
final class CoarseClock {

    /** Reads closer together than this (1 ms, the tick) count as fast. */
    static final long FAST_NANOS = 1_000_000L;

    /**
     * Fast direct reads in a row before the ticker is started: a pair of publishes close together
     * does not start a thread, a burst does.
     */
    static final int FAST_STREAK = 16;

    /** Ticks in a row with no read of the cached value after which the ticker stops (about 100 ms). */
    static final int IDLE_TICKS = 100;

    private final Clock clock;
    private final Runnable startTicker;

    /** What {@link #read} serves while the ticker runs; {@code null} when reads go to the clock. */
    private volatile @Nullable Instant cached;

    /**
     * Set by readers of the cached value, reset by the ticker. Plain: a reader writes it only when
     * it is not set already, so busy readers do not keep writing (and bouncing) its cache line; it
     * is read after the volatile {@link #cached}, so a reader cannot keep a stale copy of it.
     */
    private boolean readSinceTick;

    /** Ticker only: ticks in a row in which nobody read the cached value. */
    private int idleTicks;

    /** Ticker only: the last value cached in this run, so the next one is never earlier. */
    private @Nullable Instant lastCached;

    /** Readers: the last direct read and how many direct reads in a row came fast. */
    private @Nullable Instant lastDirect;
    private int fastReads;

    /**
     * @param clock the system clock
     * @param startTicker asked to start ticking when direct reads come fast; must be cheap when
     *                    the ticker already runs
     */
    CoarseClock(Clock clock, Runnable startTicker) {
        this.clock = clock;
        this.startTicker = startTicker;
    }

    /** The cached instant while the ticker runs, else the clock's. */
    Instant read() {
        Instant value = cached;
        if (value != null) {
            if (!readSinceTick) {
                readSinceTick = true;
            }
            return value;
        }
        Instant now = clock.instant();
        Instant previous = lastDirect;
        lastDirect = now;
        if (previous != null && nanosBetween(previous, now) < FAST_NANOS) {
            if (fastReads < FAST_STREAK) {
                fastReads++;
            }
            if (fastReads >= FAST_STREAK) {
                // Stays at the streak until the ticker caches a value, so a lost start is retried.
                startTicker.run();
            }
        } else {
            fastReads = 0;
        }
        return now;
    }

    /**
     * One tick: caches the clock's instant, or, when nobody read the cached value for
     * {@value #IDLE_TICKS} ticks, clears it.
     * @return whether to keep ticking
     */
    boolean tick() {
        if (readSinceTick) {
            readSinceTick = false;
            idleTicks = 0;
        } else if (++idleTicks >= IDLE_TICKS) {
            clear();
            return false;
        }
        Instant now = clock.instant();
        // First tick of a run: not before the last direct read either (best effort, a plain read of
        // a readers' field), so a reader switching from the clock to the cache does not go back.
        Instant last = lastCached != null ? lastCached : lastDirect;
        if (last != null && now.isBefore(last)) {
            now = last;
        }
        lastCached = now;
        cached = now;
        return true;
    }

    /**
     * Clears the cached value, so reads go to the clock again; the ticker calls it before it stops
     * ticking, whatever the reason, so that nobody keeps reading a value that nobody refreshes.
     */
    void clear() {
        cached = null;
        lastCached = null;
        idleTicks = 0;
        readSinceTick = false;
        // The next run starts only after a new burst of fast direct reads.
        fastReads = 0;
    }

    /** Whether reads are served from the cache (for tests and the ticker's diagnostics). */
    boolean caching() {
        return cached != null;
    }

    private static long nanosBetween(Instant from, Instant to) {
        // No Duration: this runs per direct read. A clock set back gives a negative gap, "fast":
        // harmless, the worst is a ticker that stops again after its idle ticks.
        return (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
    }
}
