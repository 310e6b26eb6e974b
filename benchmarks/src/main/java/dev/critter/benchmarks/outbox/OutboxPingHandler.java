package dev.critter.benchmarks.outbox;

import dev.critter.benchmarks.noop.HandledCount;

/** The no-op handler: only counts, so the round ends when every message was handled. */
public class OutboxPingHandler {

    /**
     * Handles one message.
     * @param ping the message
     * @param handled the round's count
     */
    public void handle(OutboxPing ping, HandledCount handled) {
        handled.countOne();
    }
}
