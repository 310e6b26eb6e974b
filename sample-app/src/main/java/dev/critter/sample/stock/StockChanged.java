package dev.critter.sample.stock;

/**
 * A product's stock went up or down. Routed to the "stock" queue, ordered per product.
 * @param productId the product code (the partition key)
 * @param delta how many items were added (positive) or taken (negative)
 * @param reason why, in a few words
 */
public record StockChanged(String productId, int delta, String reason) {
}
