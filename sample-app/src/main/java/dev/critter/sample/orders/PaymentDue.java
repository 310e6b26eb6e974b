package dev.critter.sample.orders;

/**
 * The time to pay an order is up; scheduled by {@link OrderService} when the order is placed.
 * @param orderId the order's id
 */
public record PaymentDue(String orderId) {
}
