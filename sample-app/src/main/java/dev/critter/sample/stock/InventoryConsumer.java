package dev.critter.sample.stock;

import dev.critter.sample.orders.OrderPlaced;

/** Takes ordered items out of stock: one of several consumers of {@link OrderPlaced}. */
public class InventoryConsumer {

    public StockChanged consume(OrderPlaced order) {
        return new StockChanged(order.sku(), -order.quantity(), "order " + order.orderId());
    }
}
