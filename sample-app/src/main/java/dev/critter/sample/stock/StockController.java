package dev.critter.sample.stock;

import java.util.Map;

import dev.critter.IMessageBus;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /stock/{productId}/{delta}} publishes a {@link StockChanged}; {@code GET /stock} shows the levels. */
@RestController
class StockController {

    private final IMessageBus bus;
    private final StockLevels stock;

    StockController(IMessageBus bus, StockLevels stock) {
        this.bus = bus;
        this.stock = stock;
    }

    @PostMapping("/stock/{productId}/{delta}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    StockChanged change(@PathVariable String productId, @PathVariable int delta) {
        StockChanged change = new StockChanged(productId, delta, "via HTTP");
        bus.publish(change);
        return change;
    }

    @GetMapping("/stock")
    Map<String, Integer> levels() {
        return stock.levels();
    }
}
