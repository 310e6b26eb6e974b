package dev.critter.runtime;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version 7 UUIDs: a millisecond timestamp followed by random bits, so ids sort by creation
 * time (index-friendly in the durable tables) and need no coordination between nodes.
 */
final class TimeOrderedUuids {

    private final Clock clock;

    TimeOrderedUuids(Clock clock) {
        this.clock = clock;
    }

    UUID next() {
        return next(clock.millis());
    }

    /**
     * Returns a new id.
     * @param millis the creation time, when the caller has read the clock already
     */
    UUID next(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
