package dev.critter.sample.orders;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.critter.IMessageBus;
import dev.critter.sample.web.BadRequest;

import org.jspecify.annotations.Nullable;
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
 * {@code POST /orders} places an order through {@link OrderService} (a row and a {@link PlaceOrder}
 * in one transaction; 422 when the card issuer refuses the amount, and then nothing was written or
 * sent); {@code GET /orders/{id}} reads the row back; {@code GET /quotes/{sku}} asks the
 * {@link QuoteHandler} for a price through request/reply. They refuse the same way: an unknown
 * product or order is 404, a quantity outside 1..{@value #MAX_QUANTITY} is 400, each with a
 * ProblemDetail saying why. The card number stops here: only its last four digits go on.
 */
@RestController
class OrderController {

    /** The most items of one product in one order or quote. */
    static final int MAX_QUANTITY = 100;

    private final IMessageBus bus;
    private final Catalog catalog;
    private final OrderService orderService;
    private final CustomerOrders orders;

    OrderController(IMessageBus bus, Catalog catalog, OrderService orderService, CustomerOrders orders) {
        this.bus = bus;
        this.catalog = catalog;
        this.orderService = orderService;
        this.orders = orders;
    }

    record OrderForm(@Nullable String sku, @Nullable Integer quantity, @Nullable String card) {
    }

    record OrderAccepted(String orderId, String sku, int quantity, String cardEnding, String total) {
    }

    /** An order as its row holds it, with the money also written out. */
    record OrderView(String orderId, String sku, int quantity, long totalCents, String total, String cardEnding,
                     OrderStatus status, Instant placedAt, Instant updatedAt) {

        static OrderView of(CustomerOrder order) {
            return new OrderView(order.getId(), order.getSku(), order.getQuantity(), order.getTotalCents(),
                    Catalog.money(order.getTotalCents()), order.getCardEnding(), order.getStatus(), order.getPlacedAt(),
                    order.getUpdatedAt());
        }
    }

    /**
     * A quote, with the money also written out.
     * @param quote the reply of the quote handler
     * @param unitPrice e.g. {@code $18.50}
     * @param total e.g. {@code $199.80}
     */
    record QuoteView(String sku, int quantity, long unitPriceCents, int discountPercent, long totalCents,
                     String unitPrice, String total) {

        static QuoteView of(Quote quote) {
            return new QuoteView(quote.sku(), quote.quantity(), quote.unitPriceCents(), quote.discountPercent(),
                    quote.totalCents(), Catalog.money(quote.unitPriceCents()), Catalog.money(quote.totalCents()));
        }
    }

    @PostMapping("/orders")
    @ResponseStatus(HttpStatus.ACCEPTED)
    OrderAccepted placeOrder(@RequestBody OrderForm form) {
        String sku = requireProduct(form.sku());
        if (form.quantity() == null) {
            throw BadRequest.because("quantity is required");
        }
        int quantity = BadRequest.requireBetween("quantity", form.quantity(), 1, MAX_QUANTITY);
        if (form.card() == null || form.card().isBlank()) {
            throw BadRequest.because("card is required");
        }
        String cardEnding;
        try {
            cardEnding = CardNumber.lastFour(form.card());
        } catch (IllegalArgumentException ex) {
            throw BadRequest.because(ex.getMessage());
        }
        CustomerOrder order;
        try {
            order = orderService.place(sku, quantity, cardEnding);
        } catch (CardLimitExceeded ex) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
        }
        return new OrderAccepted(order.getId(), sku, quantity, cardEnding, Catalog.money(order.getTotalCents()));
    }

    @GetMapping("/orders/{orderId}")
    OrderView order(@PathVariable String orderId) {
        return orders.findById(orderId).map(OrderView::of).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "no order '" + shortened(orderId) + "'"));
    }

    /** The quote is computed on a Critter worker; the servlet thread is released meanwhile. */
    @GetMapping("/quotes/{sku}")
    CompletableFuture<QuoteView> quote(@PathVariable String sku, @RequestParam(defaultValue = "1") int quantity) {
        requireProduct(sku);
        BadRequest.requireBetween("quantity", quantity, 1, MAX_QUANTITY);
        return bus.invokeAsync(new QuoteRequest(sku, quantity), Quote.class).thenApply(QuoteView::of);
    }

    private String requireProduct(@Nullable String sku) {
        if (sku == null || sku.isBlank()) {
            throw BadRequest.because("sku is required; try one of " + catalog.skus());
        }
        if (!catalog.sells(sku)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown product '" + shortened(sku)
                    + "'; try one of " + catalog.skus());
        }
        return sku;
    }

    /** Echo at most a few characters of what the client sent. */
    static String shortened(String value) {
        return value.length() <= 20 ? value : value.substring(0, 20) + "...";
    }
}
