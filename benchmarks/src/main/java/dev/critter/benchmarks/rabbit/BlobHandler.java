package dev.critter.benchmarks.rabbit;

/** Counts each {@link Blob}, nothing else: the benchmark measures the transport, not the handler. */
public class BlobHandler {

    /**
     * Counts one message.
     * @param blob the message
     * @param received the counter
     */
    public void handle(Blob blob, Received received) {
        received.one();
    }
}
