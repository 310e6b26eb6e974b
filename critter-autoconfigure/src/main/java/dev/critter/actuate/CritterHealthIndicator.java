package dev.critter.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.LocalQueueDescription;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code critter}: up while every local queue runs, down when one is stopped
 * (before start-up finished, or once shutdown began). Details give each queue's depth and
 * messages in flight. With durability it is also down when this node's heartbeat is older than
 * the node lease ({@code database}) or the oldest outbox row older than the relay-lag threshold
 * ({@code relay}); see {@link DurabilityHealth}.
 */
public class CritterHealthIndicator implements HealthIndicator {

    private final CritterDiagnostics diagnostics;
    private final @Nullable DurabilityHealth durability;

    /**
     * Creates the indicator without durability.
     * @param diagnostics where the queue states come from
     */
    public CritterHealthIndicator(CritterDiagnostics diagnostics) {
        this(diagnostics, null);
    }

    /**
     * Creates the indicator.
     * @param diagnostics where the queue states come from
     * @param durability the database and relay checks, or null without durability
     */
    public CritterHealthIndicator(CritterDiagnostics diagnostics, @Nullable DurabilityHealth durability) {
        this.diagnostics = diagnostics;
        this.durability = durability;
    }

    @Override
    public Health health() {
        List<LocalQueueDescription> queues = diagnostics.localQueues();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allRunning = true;
        for (LocalQueueDescription queue : queues) {
            allRunning &= queue.running();
            details.put(queue.name(), Map.of("running", queue.running(), "depth", queue.depth(),
                    "inFlight", queue.inFlight()));
        }
        boolean up = allRunning;
        Health.Builder health = Health.unknown().withDetail("queues", details);
        if (durability != null) {
            DurabilityHealth.Check check = durability.check();
            up &= check.up();
            health.withDetail("database", check.database()).withDetail("relay", check.relay());
        }
        return (up ? health.up() : health.down()).build();
    }
}
