package dev.critter.sample.orders;

/**
 * A customer orders a product.
 * @param orderId the order's id
 * @param sku the product code
 * @param quantity how many
 * @param cardEnding the last four digits of the card to charge (0000 is always declined); never the
 *        full number, which stays at the HTTP edge
 */
public record PlaceOrder(String orderId, String sku, int quantity, String cardEnding) {

    public PlaceOrder {
        CardNumber.requireEnding(cardEnding);
    }
}
