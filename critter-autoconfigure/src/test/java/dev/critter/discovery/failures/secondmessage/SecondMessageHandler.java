package dev.critter.discovery.failures.secondmessage;

/** A handler that takes two messages: the second is handled elsewhere, and is no bean. */
public class SecondMessageHandler {

    public record PlaceOrder(String id) { }

    public record OrderPlaced(String id) { }

    public void handle(PlaceOrder order, OrderPlaced placed) {
    }

    /** Handles the second message, so Critter knows it is a message type. */
    public static class OrderPlacedConsumer {
        public void consume(OrderPlaced placed) {
        }
    }
}
