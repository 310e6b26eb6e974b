package dev.critter.sample.orders;

import dev.critter.sample.audit.AuditEvent;

/**
 * An order moved on; recorded by the audit trail.
 * @param orderId the order's id
 * @param status the new status
 */
public record OrderStatusChanged(String orderId, String status) implements AuditEvent {

    @Override
    public String describe() {
        return "order " + orderId + " " + status;
    }
}
