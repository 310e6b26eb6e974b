package dev.critter.rabbitmq;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

import com.rabbitmq.client.AMQP;
import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.transport.DeadLetteringEndpoint;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;

import org.jspecify.annotations.Nullable;

/**
 * The endpoint a buffered listener's handlers see as the source of their envelopes: sends (a
 * requeue) go to the queue's publishing endpoint, and a handler that exhausts its error policy
 * has the exact delivery it ran for moved to the queue's dead-letter queue, with the reason in
 * headers, instead of Critter's dead-letter store.
 */
final class RabbitDeliveryEndpoint implements DeadLetteringEndpoint {

    /** The delivery the calling worker is handling. */
    private static final ThreadLocal<Delivery> CURRENT = new ThreadLocal<>();

    private final Endpoint queue;
    private final BiPredicate<Delivery, DeadLetter> deadLetterQueue;

    /**
     * Creates the endpoint.
     * @param queue the queue's publishing endpoint
     * @param deadLetterQueue publishes a delivery and its dead letter to the dead-letter queue; true once confirmed
     */
    RabbitDeliveryEndpoint(Endpoint queue, BiPredicate<Delivery, DeadLetter> deadLetterQueue) {
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
    }

    /** Runs the handling of one delivery, so its dead letter can find the exact delivery. */
    static void during(Delivery delivery, Runnable handling) {
        Delivery outer = CURRENT.get();
        CURRENT.set(delivery);
        try {
            handling.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    @Override
    public Destination destination() {
        return queue.destination();
    }

    @Override
    public String address() {
        return queue.address();
    }

    @Override
    public void awaitAccepting() {
        queue.awaitAccepting();
    }

    @Override
    public void send(Envelope envelope, boolean fromHandler) {
        queue.send(envelope, fromHandler);
    }

    @Override
    public CompletableFuture<Void> sendConfirmed(Envelope envelope, boolean fromHandler) {
        return queue.sendConfirmed(envelope, fromHandler);
    }

    /** Only for the delivery this thread is handling; any other goes to Critter's store. */
    @Override
    public boolean deadLetter(DeadLetter letter) {
        @Nullable Delivery delivery = CURRENT.get();
        return delivery != null && delivery.id().equals(letter.envelope().id()) && deadLetterQueue.test(delivery, letter);
    }

    /**
     * One delivery as the broker sent it.
     * @param id the envelope id it was read as
     * @param properties its properties
     * @param body its exact body
     */
    record Delivery(UUID id, AMQP.BasicProperties properties, byte[] body) {
    }
}
