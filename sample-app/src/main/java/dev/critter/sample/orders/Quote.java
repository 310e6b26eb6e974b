package dev.critter.sample.orders;

/**
 * A price for a quantity of a product.
 * @param sku the product code
 * @param quantity how many
 * @param unitPriceCents the list price of one
 * @param discountPercent the volume discount applied
 * @param totalCents what it costs
 */
public record Quote(String sku, int quantity, long unitPriceCents, int discountPercent, long totalCents) {
}
