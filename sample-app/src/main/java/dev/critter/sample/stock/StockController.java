package dev.critter.sample.stock;

import java.util.Map;

import dev.critter.IMessageBus;
import dev.critter.sample.orders.Catalog;
import dev.critter.sample.web.BadRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /stock/{productId}/{delta}} publishes a {@link StockChanged}; {@code GET /stock} shows the levels.
 * Like the order endpoints, an unknown product is 404; a delta of 0 or beyond ±{@value #MAX_DELTA} is 400.
 * A decrease below zero is accepted here but refused by {@link StockConsumer} when its turn comes
 * (the level may change meanwhile: the partitioned queue decides, one change at a time).
 */
@RestController
class StockController {

    static final int MAX_DELTA = 1_000;

    private final IMessageBus bus;
    private final StockLevels stock;
    private final Catalog catalog;

    StockController(IMessageBus bus, StockLevels stock, Catalog catalog) {
        this.bus = bus;
        this.stock = stock;
        this.catalog = catalog;
    }

    @PostMapping("/stock/{productId}/{delta}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    StockChanged change(@PathVariable String productId, @PathVariable int delta) {
        if (!catalog.sells(productId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown product '"
                    + (productId.length() <= 20 ? productId : productId.substring(0, 20) + "...")
                    + "'; try one of " + catalog.skus());
        }
        if (delta == 0) {
            throw BadRequest.because("delta must not be 0");
        }
        BadRequest.requireBetween("delta", delta, -MAX_DELTA, MAX_DELTA);
        StockChanged change = new StockChanged(productId, delta, "via HTTP");
        bus.publish(change);
        return change;
    }

    @GetMapping("/stock")
    Map<String, Integer> levels() {
        return stock.levels();
    }
}
