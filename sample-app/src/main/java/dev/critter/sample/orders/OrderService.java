package dev.critter.sample.orders;

import java.time.Duration;
import java.time.Instant;

import dev.critter.IMessageBus;
import dev.critter.sample.SampleProperties;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders: the transactional outbox as an application uses it. One {@code @Transactional}
 * method saves the order through a Spring Data JPA repository, publishes {@link PlaceOrder} and
 * schedules {@link PaymentDue} through the ordinary {@link IMessageBus}; Critter enrols both
 * messages in the transaction. When it commits, the messages go out at once; when it rolls back,
 * the row and the messages are gone together, and no handler ever sees them.
 */
@Service
public class OrderService {

    private final CustomerOrders orders;
    private final Catalog catalog;
    private final CardIssuer issuer;
    private final IMessageBus bus;
    private final Duration paymentDeadline;

    OrderService(CustomerOrders orders, Catalog catalog, CardIssuer issuer, IMessageBus bus,
                 SampleProperties properties) {
        this.orders = orders;
        this.catalog = catalog;
        this.issuer = issuer;
        this.bus = bus;
        this.paymentDeadline = properties.paymentDeadline();
    }

    /**
     * Writes the order, publishes {@link PlaceOrder} (handled by {@link OrderHandler}) and
     * schedules {@link PaymentDue} after {@code sample.payment-deadline}, then has the card
     * issuer authorise the amount.
     * @param sku a product the catalog sells
     * @param quantity how many, at least 1
     * @param cardEnding the card's last four digits
     * @return the order as written
     * @throws CardLimitExceeded when the issuer refuses the amount: nothing is written or sent
     * @throws IllegalArgumentException for a product the catalog does not sell or a quantity below 1
     */
    @Transactional
    public CustomerOrder place(String sku, int quantity, String cardEnding) {
        long unitPrice = catalog.priceOf(sku)
                .orElseThrow(() -> new IllegalArgumentException("Unknown product " + sku));
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
        }
        String orderId = "o-" + orders.nextOrderNumber();
        CustomerOrder order = orders.save(new CustomerOrder(orderId, sku, quantity, unitPrice * quantity, cardEnding,
                Instant.now()));
        bus.publish(new PlaceOrder(orderId, sku, quantity, cardEnding));
        bus.schedule(new PaymentDue(orderId), paymentDeadline);
        // Last, and it may throw: the exception rolls the transaction back, and with it the row
        // and both messages, published a moment ago. Nothing of this order is ever handled.
        issuer.authorize(orderId, cardEnding, order.getTotalCents());
        return order;
    }
}
