package dev.critter.transport;

import dev.critter.Envelope;

/**
 * An endpoint backed by the database inbox (a durable local queue, a durable listener's queue).
 * Inside a Spring transaction it stores envelopes in that transaction instead of taking an
 * outbox row (SPEC §5: no outgoing-row hop), and it lets a transactional handler mark its
 * envelope handled in the handler's own transaction, so side effects and the mark commit together.
 */
public interface DurableEndpoint extends Endpoint {

    /**
     * Stores an envelope in the calling thread's active Spring transaction; once that commits it
     * is queued for handling, and if it rolls back it was never stored.
     * @param envelope the envelope, routes already checked
     * @throws IllegalStateException when no transaction is active
     */
    void storeInTransaction(Envelope envelope);

    /**
     * Marks an envelope handled in the calling thread's active Spring transaction, before a
     * transactional handler runs in it. A redelivered envelope that a committed transaction
     * already marked is refused, so its handler's effects commit once.
     * @param envelope the envelope this endpoint delivered
     * @param chainId the handler chain about to run it
     * @return {@code false} when it was handled before and the handler must not run again
     */
    boolean markHandledInTransaction(Envelope envelope, String chainId);

    /**
     * Sends an envelope as an outside publisher's {@link #send} does, and tells whether the
     * endpoint took it. A durable endpoint leaves out an envelope whose id it still holds (a
     * delivery of that message has not finished) or already handled (idempotent receive); a
     * caller that must not forget the message meanwhile (the replay of a dead letter, which
     * deletes the dead letter) needs to know.
     * The default sends and answers {@code true}: for an endpoint that leaves nothing out.
     * @param envelope the envelope
     * @return {@code false} when the endpoint left it out as a duplicate: nothing was queued
     */
    default boolean sendUnlessDuplicate(Envelope envelope) {
        send(envelope, false);
        return true;
    }
}
