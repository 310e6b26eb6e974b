package dev.critter.durability.outbox.rabbit.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Messages of the outbox-to-RabbitMQ tests: one goes to a Rabbit queue, one is handled locally. */
public final class OutboxRabbitMessages {

    /** What the local handler saw, in this JVM. */
    public static final List<String> NOTED = new CopyOnWriteArrayList<>();

    private OutboxRabbitMessages() {
    }

    /** Published to a RabbitMQ queue through the outbox. */
    public record Shipped(String id) {
    }

    /** Handled in process (a local queue: safe once accepted, no confirm to wait for). */
    public record Noted(String id) {
    }

    /** Records local notes. */
    public static class NotedHandler {
        public void handle(Noted noted) {
            NOTED.add(noted.id());
        }
    }
}
