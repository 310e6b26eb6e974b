package dev.critter.local;

import java.util.ArrayDeque;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * The buffer of parallel and sequential queues: one FIFO, as lean as an {@code ArrayBlockingQueue}
 * (the array grows only when handlers push the queue above its capacity, and is reused after),
 * except that an empty buffer adopts the array of an express lane's batch instead of copying it.
 */
final class FifoBuffer implements EnvelopeBuffer {

    /** Presizing to the full capacity would cost 40 KB per default queue that is mostly idle. */
    private static final int MAX_INITIAL_SIZE = 1024;

    private ArrayDeque<Envelope> envelopes;

    FifoBuffer(int capacity) {
        this.envelopes = new ArrayDeque<>(Math.min(capacity, MAX_INITIAL_SIZE));
    }

    @Override
    public @Nullable Object keyOf(Envelope envelope) {
        return null;
    }

    @Override
    public boolean add(Envelope envelope, @Nullable Object key) {
        envelopes.addLast(envelope);
        return true;
    }

    @Override
    public @Nullable Envelope poll(Claim claim) {
        return envelopes.pollFirst();
    }

    /**
     * Appends a batch, in order. An empty buffer takes the batch's deque as its own, at no cost
     * per envelope; otherwise the envelopes are copied. The caller no longer uses the batch.
     * @param batch envelopes newer than all this buffer holds
     */
    void append(ArrayDeque<Envelope> batch) {
        if (envelopes.isEmpty()) {
            envelopes = batch;
            return;
        }
        for (Envelope envelope; (envelope = batch.pollFirst()) != null; ) {
            envelopes.addLast(envelope);
        }
    }

    /**
     * Puts an envelope a worker took ahead and did not start back at the head, so it is next.
     * @param envelope the envelope
     */
    void putBack(Envelope envelope) {
        envelopes.addFirst(envelope);
    }

    @Override
    public void release(Claim claim) {
        // Nothing is held: any worker may take any envelope.
    }

    @Override
    public int size() {
        return envelopes.size();
    }
}
