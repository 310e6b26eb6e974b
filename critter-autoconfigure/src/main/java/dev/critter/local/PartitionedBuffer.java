package dev.critter.local;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.function.Function;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * The buffer of partitioned queues: one FIFO lane per key, plus a FIFO of what workers may take.
 *
 * <p>Keys are never bound to a worker (hashing keys onto fixed workers would let one hot key stall
 * every key sharing its worker). Instead the ready FIFO holds lanes that have waiting envelopes and
 * no envelope being handled, plus envelopes without a key, which need no lane. A worker takes the
 * head, handles one envelope, and on release puts the lane back at the tail if it still has
 * envelopes, so busy keys take turns with the others; an emptied lane is removed, so many distinct
 * keys leave nothing behind.
 *
 * <p>Invariant: a lane is in {@code ready} exactly when it is not in flight and not empty.
 */
final class PartitionedBuffer implements EnvelopeBuffer {

    /** A map that grew past this many lanes is replaced once it empties, since HashMap never shrinks. */
    private static final int SHRINK_THRESHOLD = 4096;

    private final Function<Envelope, @Nullable Object> partitionKey;
    private HashMap<Object, Lane> lanes = new HashMap<>();
    private int peakLanes;
    /** Holds {@link Lane}s and keyless {@link Envelope}s, in the order workers should take them. */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private int size;

    PartitionedBuffer(Function<Envelope, @Nullable Object> partitionKey) {
        this.partitionKey = partitionKey;
    }

    @Override
    public @Nullable Object keyOf(Envelope envelope) {
        return partitionKey.apply(envelope);
    }

    @Override
    public boolean add(Envelope envelope, @Nullable Object key) {
        size++;
        if (key == null) {
            ready.addLast(envelope);
            return true;
        }
        Lane lane = lanes.get(key);
        if (lane != null) {
            // Already ready (waiting for a worker) or in flight (re-queued on release): no new work to signal.
            lane.add(envelope);
            return false;
        }
        lane = new Lane(key);
        lane.add(envelope);
        lanes.put(key, lane);
        peakLanes = Math.max(peakLanes, lanes.size());
        ready.addLast(lane);
        return true;
    }

    @Override
    public @Nullable Envelope poll(Claim claim) {
        Object next = ready.pollFirst();
        if (next == null) {
            return null;
        }
        size--;
        if (next instanceof Envelope keyless) {
            claim.held = null;
            return keyless;
        }
        Lane lane = (Lane) next;
        lane.inFlight = true;
        claim.held = lane;
        return lane.poll();
    }

    @Override
    public void release(Claim claim) {
        Lane lane = (Lane) claim.held;
        if (lane == null) {
            return;
        }
        claim.held = null;
        lane.inFlight = false;
        if (lane.isEmpty()) {
            lanes.remove(lane.key);
            if (lanes.isEmpty() && peakLanes > SHRINK_THRESHOLD) {
                lanes = new HashMap<>();
                peakLanes = 0;
            }
        } else {
            ready.addLast(lane);
        }
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Returns how many keys have a lane (waiting or in-flight envelopes); for tests.
     * @return how many keys have a lane (waiting or in-flight envelopes); for tests
     */
    int laneCount() {
        return lanes.size();
    }

    /** The waiting envelopes of one key, in send order. */
    private static final class Lane {
        final Object key;
        boolean inFlight;
        /** The oldest waiting envelope; a lane of one (the common case) needs no deque. */
        private @Nullable Envelope first;
        /** The younger ones; empty whenever {@code first} is null. */
        private @Nullable ArrayDeque<Envelope> rest;

        Lane(Object key) {
            this.key = key;
        }

        void add(Envelope envelope) {
            if (first == null) {
                first = envelope;
                return;
            }
            if (rest == null) {
                rest = new ArrayDeque<>(4);
            }
            rest.addLast(envelope);
        }

        @Nullable Envelope poll() {
            Envelope head = first;
            first = (rest != null) ? rest.pollFirst() : null;
            return head;
        }

        boolean isEmpty() {
            return first == null;
        }
    }
}
