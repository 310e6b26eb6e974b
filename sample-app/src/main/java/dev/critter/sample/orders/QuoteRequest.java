package dev.critter.sample.orders;

/**
 * Asks for a price; answered with a {@link Quote} through {@code bus.invoke(request, Quote.class)}.
 * @param sku the product code
 * @param quantity how many
 */
public record QuoteRequest(String sku, int quantity) {
}
