package dev.critter.sample.orders;

import java.time.Instant;

import dev.critter.sample.Console;

/** When an order's payment is due: cancels it if it is still unpaid (its card was declined, say). */
public class PaymentDeadlineConsumer {

    private final CustomerOrders orders;

    public PaymentDeadlineConsumer(CustomerOrders orders) {
        this.orders = orders;
    }

    public void consume(PaymentDue due) {
        boolean cancelled = orders.changeStatus(due.orderId(), OrderStatus.PLACED, OrderStatus.CANCELLED, Instant.now()) == 1;
        Console.handled("PaymentDeadlineConsumer", cancelled
                ? "cancelled " + due.orderId() + ": still unpaid when its payment was due"
                : due.orderId() + " was paid in time");
    }
}
