package dev.critter.benchmarks.scheduled;

import dev.critter.Envelope;

/** Records when each scheduled message's handler started, against its due time. */
public class DueHandler {

    /**
     * @param due the message
     * @param envelope its envelope, with the due time
     */
    public void handle(Due due, Envelope envelope) {
        DueLog.record(due.n(), envelope.scheduledAt());
    }
}
