package dev.critter.sample.orders;

import dev.critter.MessageContext;
import dev.critter.sample.Console;

/**
 * Charges the card of each placed order. A card ending in 0000 is declined: the error policy in
 * {@code SampleMessaging} retries twice, then moves the message to the dead letters. Only this
 * handler is retried; the other consumers of {@code OrderPlaced} run in their own chains.
 */
public class PaymentHandler {

    public PaymentCaptured handle(OrderPlaced order, MessageContext context) {
        String digits = order.card().replaceAll("\\D", "");
        String ending = digits.length() >= 4 ? digits.substring(digits.length() - 4) : digits;
        if (ending.equals("0000")) {
            Console.handled("PaymentHandler", "attempt " + context.attempts() + ": card ending 0000 declined for "
                    + order.orderId());
            throw new PaymentDeclined("Card ending 0000 declined for order " + order.orderId());
        }
        Console.handled("PaymentHandler", "charged " + Catalog.money(order.totalCents()) + " for " + order.orderId());
        return new PaymentCaptured(order.orderId(), order.totalCents(), ending);
    }
}
