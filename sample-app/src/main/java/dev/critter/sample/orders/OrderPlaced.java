package dev.critter.sample.orders;

/**
 * An order was accepted; payment, stock and confirmation each react to it.
 * @param orderId the order's id
 * @param sku the product code
 * @param quantity how many
 * @param totalCents the price to charge
 * @param cardEnding the last four digits of the card to charge
 */
public record OrderPlaced(String orderId, String sku, int quantity, long totalCents, String cardEnding) {

    public OrderPlaced {
        CardNumber.requireEnding(cardEnding);
    }
}
