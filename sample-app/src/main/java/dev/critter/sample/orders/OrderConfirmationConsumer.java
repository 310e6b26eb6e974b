package dev.critter.sample.orders;

import dev.critter.sample.Console;

/** Confirms each placed order to the customer. One of several consumers of {@link OrderPlaced}. */
public class OrderConfirmationConsumer {

    public static void consume(OrderPlaced order) {
        Console.handled("OrderConfirmationConsumer", "confirmed " + order.orderId() + " to the customer");
    }
}
