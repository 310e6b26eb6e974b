package dev.critter.sample.orders;

/** Where an order stands; kept in the {@code status} column of {@code sample.orders}. */
public enum OrderStatus {
    /** Written with its {@link PlaceOrder} message; waiting for its payment. */
    PLACED,
    /** The card was charged before the payment was due. */
    PAID,
    /** Still unpaid when its {@link PaymentDue} message came. */
    CANCELLED
}
