package dev.critter.sample.orders;

import java.util.List;

import dev.critter.sample.Console;

/**
 * Accepts orders. Returning a list publishes each element: the {@link OrderPlaced} event goes to
 * its consumers, the status change to the audit trail.
 */
public class OrderHandler {

    private final Catalog catalog;

    public OrderHandler(Catalog catalog) {
        this.catalog = catalog;
    }

    public List<Object> handle(PlaceOrder order) {
        long unitPrice = catalog.priceOf(order.sku())
                .orElseThrow(() -> new IllegalArgumentException("Unknown product " + order.sku()));
        if (order.quantity() < 1) {
            // The HTTP edge refuses it too; this guards every other publisher (a negative order would add stock).
            throw new IllegalArgumentException("quantity must be at least 1, was " + order.quantity());
        }
        long total = unitPrice * order.quantity();
        Console.handled("OrderHandler", "accepted " + order.orderId() + ": " + order.quantity() + " x " + order.sku()
                + " = " + Catalog.money(total));
        return List.of(new OrderPlaced(order.orderId(), order.sku(), order.quantity(), total, order.cardEnding()),
                new OrderStatusChanged(order.orderId(), "placed"));
    }
}
