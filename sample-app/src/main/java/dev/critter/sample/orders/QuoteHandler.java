package dev.critter.sample.orders;

import dev.critter.sample.Console;

/**
 * Prices requests: 10% off from ten items, rounded to the nearest cent. When called through
 * {@code invoke(request, Quote.class)} the returned {@link Quote} is the reply and is not published.
 */
public class QuoteHandler {

    private final Catalog catalog;

    public QuoteHandler(Catalog catalog) {
        this.catalog = catalog;
    }

    public Quote handle(QuoteRequest request) {
        long unit = catalog.priceOf(request.sku())
                .orElseThrow(() -> new IllegalArgumentException("Unknown product " + request.sku()));
        if (request.quantity() < 1) {
            throw new IllegalArgumentException("quantity must be at least 1, was " + request.quantity());
        }
        int discount = request.quantity() >= 10 ? 10 : 0;
        // Half a cent rounds up, as a till does; integer division would always round down.
        long total = (unit * request.quantity() * (100 - discount) + 50) / 100;
        Console.handled("QuoteHandler", request.quantity() + " x " + request.sku() + " = " + Catalog.money(total));
        return new Quote(request.sku(), request.quantity(), unit, discount, total);
    }
}
