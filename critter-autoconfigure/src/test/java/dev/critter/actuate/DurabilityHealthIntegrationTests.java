package dev.critter.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.critter.durability.DurabilityNode;
import dev.critter.observability.CritterMetricNames;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user's dashboards and probes see of durability: the backlog gauges and the health
 * contributor's database and relay details, from rows written by SQL (owned by a node that
 * stays live, so no agent takes them).
 */
class DurabilityHealthIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String[] SHORT_INTERVALS = {"critter.durability.node-heartbeat=200ms",
            "critter.durability.node-lease=2s"};

    private final TestDatabase database = TestPostgres.newDatabase(DurabilityHealthIntegrationTests.class);

    private final DurableRows rows = new DurableRows(database.dataSource());

    private ConfigurableApplicationContext app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theBacklogGaugesReflectTheRowsInTheTables() {
        app = DurableApps.start(database, SHORT_INTERVALS);
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        UUID live = rows.node(Duration.ofHours(-1));
        rows.outgoing(live, Duration.ofSeconds(120));
        rows.outgoing(live, Duration.ofSeconds(30));
        rows.outgoing(live, Duration.ZERO);
        rows.scheduled(null, Duration.ofHours(1));
        rows.scheduled(null, Duration.ofHours(2));
        rows.scheduled(live, Duration.ofSeconds(-5));
        for (int i = 0; i < 4; i++) {
            rows.deadLetter();
        }

        await().atMost(WAIT).until(() -> gauge(registry, CritterMetricNames.DEAD_LETTERS) == 4);

        assertThat(gauge(registry, CritterMetricNames.OUTBOX_PENDING)).isEqualTo(3);
        assertThat(gauge(registry, CritterMetricNames.OUTBOX_OLDEST_AGE)).isBetween(120.0, 180.0);
        assertThat(gauge(registry, CritterMetricNames.SCHEDULED_PENDING)).as("claimed rows no longer wait").isEqualTo(2);
        assertThat(gauge(registry, CritterMetricNames.SCHEDULED_OVERDUE_AGE)).isZero();
        assertThat(registry.get(CritterMetricNames.OUTBOX_OLDEST_AGE).gauge().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(registry.get(CritterMetricNames.OUTBOX_PENDING).gauge().getId().getDescription()).isNotBlank();
        assertThat(registry.find(CritterMetricNames.SCHEDULED_PENDING).gauges()).as("one source only").hasSize(1);
    }

    @Test
    void theBacklogGaugesExistInALazilyInitializedApplicationToo() {
        app = DurableApps.start(database, "spring.main.lazy-initialization=true",
                "critter.durability.node-heartbeat=200ms", "critter.durability.node-lease=2s");
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        rows.deadLetter();

        await().atMost(WAIT).until(() -> gauge(registry, CritterMetricNames.DEAD_LETTERS) == 1);
        assertThat(gauge(registry, CritterMetricNames.OUTBOX_PENDING)).isZero();
    }

    @Test
    void healthShowsTheDatabaseAndTheRelayAndGoesDownWhenTheOldestOutboxRowIsOlderThanTheThreshold() {
        app = DurableApps.start(database, SHORT_INTERVALS);
        HealthEndpoint health = app.getBean(HealthEndpoint.class);
        UUID node = app.getBean(DurabilityNode.class).id();

        // The first measurement may run before this node registered: wait for one that counts it.
        await().atMost(WAIT).until(() -> details(health).containsKey("relay")
                && ((Map<?, ?>) details(health).get("relay")).containsKey("oldestPending")
                && Integer.valueOf(1).equals(((Map<?, ?>) details(health).get("database")).get("liveNodes")));
        assertThat(status(health)).isEqualTo(Status.UP);
        assertThat(details(health).get("database")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "UP").containsEntry("node", node.toString())
                .containsEntry("nodeLease", "PT2S").containsEntry("liveNodes", 1).containsKey("sinceLastHeartbeat");
        assertThat(details(health).get("relay")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "UP").containsEntry("pending", 0L).containsEntry("oldestPending", "PT0S")
                .containsEntry("threshold", "PT1M");

        UUID live = rows.node(Duration.ofHours(-1));
        rows.outgoing(live, Duration.ofMinutes(2));

        await().atMost(WAIT).until(() -> status(health).equals(Status.DOWN));
        assertThat(details(health).get("relay")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "DOWN").containsEntry("pending", 1L).containsKey("problem");
        assertThat(details(health).get("database")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "UP").containsEntry("liveNodes", 2);
    }

    @Test
    void theRelayLagThresholdIsAKey() {
        app = DurableApps.start(database, "critter.durability.node-heartbeat=200ms", "critter.durability.node-lease=2s",
                "critter.durability.relay-lag-threshold=5m");
        HealthEndpoint health = app.getBean(HealthEndpoint.class);
        UUID live = rows.node(Duration.ofHours(-1));
        rows.outgoing(live, Duration.ofMinutes(2));

        await().atMost(WAIT).until(() -> Long.valueOf(1).equals(((Map<?, ?>) details(health).get("relay")).get("pending")));
        assertThat(status(health)).isEqualTo(Status.UP);
        assertThat(details(health).get("relay")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("threshold", "PT5M");
    }

    @Test
    void theCritterEndpointListsTheLiveNodesAndTheBacklog() {
        app = DurableApps.start(database, SHORT_INTERVALS);
        UUID node = app.getBean(DurabilityNode.class).id();
        rows.node(Duration.ofHours(1)); // dead: not listed
        rows.deadLetter();
        CritterEndpoint endpoint = app.getBean(CritterEndpoint.class);

        await().atMost(WAIT).until(() -> endpoint.critter().durability().backlog() != null
                && endpoint.critter().durability().backlog().deadLetters() == 1);

        CritterEndpoint.DurabilityDescription durability = endpoint.critter().durability();
        assertThat(durability.liveNodes()).singleElement().satisfies(live -> {
            assertThat(live.nodeId()).isEqualTo(node);
            assertThat(live.serviceName()).isEqualTo("orders");
        });
        assertThat(durability.backlog().outboxPending()).isZero();
    }

    private static double gauge(MeterRegistry registry, String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static Status status(HealthEndpoint health) {
        return ((IndicatedHealthDescriptor) health.healthForPath("critter")).getStatus();
    }

    private static Map<String, Object> details(HealthEndpoint health) {
        return ((IndicatedHealthDescriptor) health.healthForPath("critter")).getDetails();
    }
}
