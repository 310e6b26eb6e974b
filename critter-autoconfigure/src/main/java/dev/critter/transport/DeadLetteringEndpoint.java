package dev.critter.transport;

import dev.critter.DeadLetter;

/**
 * An endpoint whose transport keeps the dead letters of the envelopes it delivered in a place of
 * its own (a RabbitMQ queue's dead-letter queue) rather than in Critter's dead-letter store.
 */
public interface DeadLetteringEndpoint extends Endpoint {

    /**
     * Moves the delivery of a dead letter's envelope, which this endpoint delivered and whose
     * handler exhausted its error policy, to the transport's own dead-letter place with the reason.
     * Called on the thread that handled the envelope, before the delivery is settled.
     * @param letter the dead letter: the envelope, the failed chain and the reason
     * @return {@code true} once it is safely kept there; {@code false} when it could not be (the
     *         dead letter then goes to Critter's dead-letter store)
     */
    boolean deadLetter(DeadLetter letter);
}
