package dev.critter.sample.orders;

/**
 * The card issuer declined a charge. {@code SampleMessaging} retries it twice, then dead-letters
 * the message. An expected business outcome, not a bug: it carries no stack trace.
 */
public class PaymentDeclined extends RuntimeException {

    public PaymentDeclined(String message) {
        super(message, null, false, false);
    }
}
