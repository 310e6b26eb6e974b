package dev.critter.benchmarks.noop;

/**
 * The handler both sides of the comparison run: it does nothing but count the message as handled.
 * Critter finds it by its name and creates it through the bean factory; the raw executor baseline
 * calls {@link #handle} directly.
 */
public class NoopHandler {

    private final HandledCount handled;

    /** @param handled what the benchmark waits on */
    public NoopHandler(HandledCount handled) {
        this.handled = handled;
    }

    /** @param ping the message */
    public void handle(Ping ping) {
        handled.countOne();
    }
}
