package dev.critter.actuate;

import java.time.Duration;
import java.util.UUID;

import dev.critter.durability.Backlog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the durability part of the {@code critter} health is up or down, and what it says. */
class DurabilityHealthTests {

    private static final UUID NODE = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

    private static final Duration LEASE = Duration.ofSeconds(20);

    private static final Duration THRESHOLD = Duration.ofMinutes(1);

    @Test
    void upWithARecentHeartbeatAndAYoungOutbox() {
        DurabilityHealth.Check check = DurabilityHealth.check(NODE, Duration.ofMillis(1500),
                backlog(Duration.ofSeconds(59)), LEASE, THRESHOLD);

        assertThat(check.up()).isTrue();
        assertThat(check.database()).containsEntry("status", "UP").containsEntry("node", NODE.toString())
                .containsEntry("sinceLastHeartbeat", "PT1.5S").containsEntry("nodeLease", "PT20S")
                .containsEntry("liveNodes", 2).doesNotContainKey("problem");
        assertThat(check.relay()).containsEntry("status", "UP").containsEntry("pending", 7L)
                .containsEntry("oldestPending", "PT59S").containsEntry("threshold", "PT1M").doesNotContainKey("problem");
    }

    @Test
    void downWhenTheOldestOutboxRowIsOlderThanTheThreshold() {
        DurabilityHealth.Check check = DurabilityHealth.check(NODE, Duration.ofSeconds(1),
                backlog(Duration.ofSeconds(61)), LEASE, THRESHOLD);

        assertThat(check.up()).isFalse();
        assertThat(check.database()).containsEntry("status", "UP");
        assertThat(check.relay()).containsEntry("status", "DOWN")
                .hasEntrySatisfying("problem", p -> assertThat(p.toString()).contains("relay-lag-threshold"));
    }

    @Test
    void downWhenTheLastHeartbeatIsOlderThanTheLeaseOrThereWasNone() {
        DurabilityHealth.Check late = DurabilityHealth.check(NODE, Duration.ofSeconds(21), backlog(Duration.ZERO),
                LEASE, THRESHOLD);
        DurabilityHealth.Check never = DurabilityHealth.check(NODE, null, null, LEASE, THRESHOLD);

        assertThat(late.up()).isFalse();
        assertThat(late.database()).containsEntry("status", "DOWN").containsKey("problem");
        assertThat(late.relay()).containsEntry("status", "UP");
        assertThat(never.up()).isFalse();
        assertThat(never.database()).containsEntry("sinceLastHeartbeat", "never");
    }

    @Test
    void figuresNotMeasuredYetDoNotMakeTheRelayDown() {
        DurabilityHealth.Check check = DurabilityHealth.check(NODE, Duration.ZERO, null, LEASE, THRESHOLD);

        assertThat(check.up()).isTrue();
        assertThat(check.relay()).containsEntry("pending", "not measured yet").doesNotContainKey("oldestPending");
        assertThat(check.database()).doesNotContainKey("liveNodes");
    }

    private static Backlog backlog(Duration oldestOutbox) {
        return new Backlog(7, oldestOutbox, 3, Duration.ZERO, 1, 2);
    }
}
