package dev.critter.benchmarks.overload;

/**
 * The handler of the durable queue {@code overload-item}: records its start, then does a fixed
 * amount of work, a wait of {@link LoadLog#workNanos()} standing for a call to another service
 * (a wait, not CPU, so its cost does not depend on what else the shared machine runs).
 */
public class OverloadItemHandler {

    /**
     * Records the start and works.
     * @param item the message
     */
    public void handle(OverloadItem item) {
        LoadLog.started(item.n());
        LoadLog.work();
    }
}
