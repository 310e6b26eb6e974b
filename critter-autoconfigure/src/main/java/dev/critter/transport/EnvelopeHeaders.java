package dev.critter.transport;

/** Header names Critter itself sets on envelopes, shared by the runtime and the transports. */
public final class EnvelopeHeaders {

    /**
     * The id of the one handler chain a requeued, retried, scheduled-for-retry or replayed envelope
     * goes back to (the other chains of its type already ran); stored in the {@code chain_id} column.
     */
    public static final String CHAIN_ID = "critter-handler";

    private EnvelopeHeaders() {
    }
}
