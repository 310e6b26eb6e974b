package dev.critter.sample.orders;

import java.time.Instant;

import dev.critter.MessageContext;
import dev.critter.sample.Console;

import org.springframework.transaction.annotation.Transactional;

/**
 * Charges the card of each placed order, and marks its row paid (orders placed over HTTP have
 * one; the walkthrough's first orders are published straight to the bus and have none). The
 * {@link CardIssuer} declines a card ending in 0000 (and any card on hold): the error policy in
 * {@code SampleMessaging} retries twice, then moves the message to the dead letters. Only this
 * handler is retried; the other consumers of {@code OrderPlaced} run in their own chains.
 * <p>
 * {@code @Transactional}: each attempt runs in a transaction, so the row marked paid and the
 * {@link PaymentCaptured} it returns commit together; the message is sent only after the commit.
 */
public class PaymentHandler {

    private final CardIssuer issuer;
    private final CustomerOrders orders;

    public PaymentHandler(CardIssuer issuer, CustomerOrders orders) {
        this.issuer = issuer;
        this.orders = orders;
    }

    @Transactional
    public PaymentCaptured handle(OrderPlaced order, MessageContext context) {
        if (issuer.declines(order.cardEnding())) {
            Console.handled("PaymentHandler", "attempt " + context.attempts() + ": card ending " + order.cardEnding()
                    + " declined for " + order.orderId());
            throw new PaymentDeclined("Card ending " + order.cardEnding() + " declined for order " + order.orderId());
        }
        // Only a placed order becomes paid: one whose payment deadline cancelled it meanwhile
        // stays cancelled (a real shop would refund the charge).
        orders.changeStatus(order.orderId(), OrderStatus.PLACED, OrderStatus.PAID, Instant.now());
        Console.handled("PaymentHandler", "charged " + Catalog.money(order.totalCents()) + " to card ending "
                + order.cardEnding() + " for " + order.orderId());
        return new PaymentCaptured(order.orderId(), order.totalCents(), order.cardEnding());
    }
}
