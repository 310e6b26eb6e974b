package dev.critter.sample.orders;

/**
 * A customer orders a product.
 * @param orderId the order's id
 * @param sku the product code
 * @param quantity how many
 * @param card the card to charge (one ending in 0000 is always declined)
 */
public record PlaceOrder(String orderId, String sku, int quantity, String card) {
}
