package dev.critter.benchmarks.invoke;

/** Does nothing: what {@code bus.invoke(nudge)} costs is Critter's own work. */
public class NudgeHandler {

    /** @param nudge the message */
    public void handle(Nudge nudge) {
        // Nothing: the benchmark measures the bus around the call.
    }
}
