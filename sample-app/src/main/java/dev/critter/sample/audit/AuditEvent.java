package dev.critter.sample.audit;

/**
 * Marks messages the audit trail records. {@code SampleMessaging} routes every message
 * implementing it to the sequential "audit" queue.
 */
public interface AuditEvent {

    /** @return what happened, in a few words */
    String describe();
}
