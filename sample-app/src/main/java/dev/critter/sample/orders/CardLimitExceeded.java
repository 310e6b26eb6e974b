package dev.critter.sample.orders;

/**
 * The card issuer refused to authorise an order's amount. Thrown inside
 * {@link OrderService#place}'s transaction, after the order was written and its messages
 * published: the rollback takes them all back.
 */
public class CardLimitExceeded extends RuntimeException {

    private final String orderId;

    CardLimitExceeded(String orderId, String message) {
        super(message, null, false, false);
        this.orderId = orderId;
    }

    /** @return the id the refused order would have had; no row and no message keeps it */
    public String orderId() {
        return orderId;
    }
}
