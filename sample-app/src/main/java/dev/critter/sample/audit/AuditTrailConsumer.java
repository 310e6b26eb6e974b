package dev.critter.sample.audit;

import dev.critter.sample.Console;

/**
 * Records every {@link AuditEvent}. The handled type is an interface, so this one handler takes
 * all of its implementations; they arrive one at a time from the sequential "audit" queue.
 */
public class AuditTrailConsumer {

    private final AuditTrail trail;

    public AuditTrailConsumer(AuditTrail trail) {
        this.trail = trail;
    }

    public void consume(AuditEvent event) {
        trail.started();
        try {
            AuditTrail.Entry entry = trail.append(event);
            Console.handled("AuditTrailConsumer", "audit #" + entry.number() + ": " + event.describe());
        } finally {
            trail.finished();
        }
    }
}
