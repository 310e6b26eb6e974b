package dev.critter.sample.stock;

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
            int level = stock.apply(change);
            Console.handled("StockConsumer", String.format("%-7s %+d -> %d (%s)", change.productId(), change.delta(),
                    level, change.reason()));
        } finally {
            stock.finished(change);
        }
    }
}
