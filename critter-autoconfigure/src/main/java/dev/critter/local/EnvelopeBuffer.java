package dev.critter.local;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * The waiting envelopes of one local queue and the rule deciding which one a worker may take next.
 * Not thread-safe: {@link LocalQueue} calls every method except {@link #keyOf} under its lock,
 * so the buffers stay plain data structures and the queue owns all blocking and signalling.
 */
interface EnvelopeBuffer {

    /**
     * Computes the ordering key of an envelope; called outside the queue's lock because it may run
     * user code.
     * @param envelope the envelope about to be added
     * @return its key, or {@code null} when it has no ordering constraint
     */
    @Nullable Object keyOf(Envelope envelope);

    /**
     * Adds an envelope behind those already waiting.
     * @param envelope the envelope
     * @param key the key {@link #keyOf} returned for it
     * @return whether a worker can now take something it could not take before, so an idle worker
     *         should be woken
     */
    boolean add(Envelope envelope, @Nullable Object key);

    /**
     * Takes the next envelope a worker may handle now, and records in the claim what the worker
     * holds until it calls {@link #release}.
     * @param claim the calling worker's claim
     * @return the envelope, or {@code null} when nothing may be taken now
     */
    @Nullable Envelope poll(Claim claim);

    /**
     * Called when the worker finished handling the envelope it last polled with this claim.
     * @param claim the worker's claim
     */
    void release(Claim claim);

    /**
     * Returns how many envelopes wait, not counting those being handled.
     * @return how many envelopes wait, not counting those being handled
     */
    int size();

    /** What one worker holds while it handles an envelope: for partitioned queues, the key's lane. */
    final class Claim {
        @Nullable Object held;
        /** The envelope the worker handles now; kept by {@link LocalQueue}, for shutdown reports. */
        @Nullable Envelope current;
    }
}
