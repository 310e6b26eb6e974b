package dev.critter.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.LocalQueueDescription;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code critter}: up while every local queue runs, down when one is stopped
 * (before start-up finished, or once shutdown began). Details give each queue's depth and
 * messages in flight. Database and broker checks join it with durability and RabbitMQ.
 */
public class CritterHealthIndicator implements HealthIndicator {

    private final CritterDiagnostics diagnostics;

    /**
     * Creates the indicator.
     * @param diagnostics where the queue states come from
     */
    public CritterHealthIndicator(CritterDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
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
        Health.Builder health = allRunning ? Health.up() : Health.down();
        return health.withDetail("queues", details).build();
    }
}
