package dev.critter.durability;

import java.time.Duration;

/**
 * What waits in the durable tables, as one periodic query last measured it (for gauges and
 * health, which read these figures instead of querying the database themselves).
 * @param outboxPending rows in the outbox ({@code critter_outgoing_envelopes}): messages not yet accepted by their destination
 * @param oldestOutbox how long the oldest of them has been waiting ({@link Duration#ZERO} when there is none)
 * @param scheduledWaiting scheduled messages no node has claimed yet (waiting for their due time, or overdue)
 * @param mostOverdueScheduled how far past its due time the most overdue unclaimed scheduled message is
 *                             ({@link Duration#ZERO} when none is overdue)
 * @param deadLetters dead letters stored
 * @param liveNodes nodes whose last heartbeat is within the lease (this one included)
 */
public record Backlog(long outboxPending, Duration oldestOutbox, long scheduledWaiting, Duration mostOverdueScheduled,
                      long deadLetters, int liveNodes) {
}
