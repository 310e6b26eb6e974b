package dev.critter.sample.orders;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.IMessageBus;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /orders} publishes a {@link PlaceOrder}; {@code GET /quotes/{sku}} asks the
 * {@link QuoteHandler} for a price through request/reply.
 */
@RestController
class OrderController {

    private final IMessageBus bus;
    private final Catalog catalog;
    private final AtomicInteger orders = new AtomicInteger(1000);

    OrderController(IMessageBus bus, Catalog catalog) {
        this.bus = bus;
        this.catalog = catalog;
    }

    record OrderForm(String sku, int quantity, String card) {
    }

    record OrderAccepted(String orderId) {
    }

    @PostMapping("/orders")
    @ResponseStatus(HttpStatus.ACCEPTED)
    OrderAccepted placeOrder(@RequestBody OrderForm form) {
        requireProduct(form.sku());
        if (form.quantity() < 1 || form.card() == null || form.card().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity must be at least 1 and card is required");
        }
        String orderId = "o-" + orders.incrementAndGet();
        bus.publish(new PlaceOrder(orderId, form.sku(), form.quantity(), form.card()));
        return new OrderAccepted(orderId);
    }

    /** The quote is computed on a Critter worker; the servlet thread is released meanwhile. */
    @GetMapping("/quotes/{sku}")
    CompletableFuture<Quote> quote(@PathVariable String sku, @RequestParam(defaultValue = "1") int quantity) {
        requireProduct(sku);
        return bus.invokeAsync(new QuoteRequest(sku, quantity), Quote.class);
    }

    private void requireProduct(String sku) {
        if (sku == null || catalog.priceOf(sku).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown product " + sku + "; try one of "
                    + catalog.skus());
        }
    }
}
