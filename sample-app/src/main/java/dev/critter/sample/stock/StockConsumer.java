package dev.critter.sample.stock;

import java.util.OptionalInt;

import dev.critter.sample.Console;

/**
 * Applies stock changes. They come from the partitioned "stock" queue: changes of one product
 * one at a time in publish order, different products in parallel.
 */
public class StockConsumer {

    private final StockLevels stock;

    public StockConsumer(StockLevels stock) {
        this.stock = stock;
    }

    public void consume(StockChanged change) throws InterruptedException {
        stock.started(change);
        try {
            Thread.sleep(2); // a pretend call to the warehouse, so that products visibly overlap
            OptionalInt level = stock.apply(change);
            Console.handled("StockConsumer", String.format("%-7s %+d -> %s (%s)", change.productId(), change.delta(),
                    level.isPresent() ? String.valueOf(level.getAsInt()) : "refused, not enough in stock",
                    change.reason()));
        } finally {
            stock.finished(change);
        }
    }
}
