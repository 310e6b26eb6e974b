package dev.critter.sample.orders;

import dev.critter.sample.audit.AuditEvent;

/**
 * The customer's card was charged; recorded by the audit trail.
 * @param orderId the order's id
 * @param amountCents the amount charged
 * @param cardEnding the last four digits of the card
 */
public record PaymentCaptured(String orderId, long amountCents, String cardEnding) implements AuditEvent {

    @Override
    public String describe() {
        return "order " + orderId + " paid " + Catalog.money(amountCents) + " with card ending " + cardEnding;
    }
}
