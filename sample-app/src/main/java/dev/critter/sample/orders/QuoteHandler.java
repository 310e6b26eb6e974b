package dev.critter.sample.orders;

import dev.critter.sample.Console;

/**
 * Prices requests: 10% off from ten items. When called through {@code invoke(request, Quote.class)}
 * the returned {@link Quote} is the reply and is not published.
 */
public class QuoteHandler {

    private final Catalog catalog;

    public QuoteHandler(Catalog catalog) {
        this.catalog = catalog;
    }

    public Quote handle(QuoteRequest request) {
        long unit = catalog.priceOf(request.sku())
                .orElseThrow(() -> new IllegalArgumentException("Unknown product " + request.sku()));
        int discount = request.quantity() >= 10 ? 10 : 0;
        long total = unit * request.quantity() * (100 - discount) / 100;
        Console.handled("QuoteHandler", request.quantity() + " x " + request.sku() + " = " + Catalog.money(total));
        return new Quote(request.sku(), request.quantity(), unit, discount, total);
    }
}
