package dev.critter.local;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalQueueSettingsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void rejectsParallelismBelowOneEchoingTheValueAndTheQueue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalQueueSettings.parallel("orders", 0, 10, TIMEOUT))
                .withMessageContaining("parallelism must be at least 1, was 0")
                .withMessageContaining("'orders'");
    }

    @Test
    void rejectsCapacityBelowOneEchoingTheValueAndTheQueue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalQueueSettings.parallel("orders", 2, -5, TIMEOUT))
                .withMessageContaining("capacity must be at least 1, was -5")
                .withMessageContaining("'orders'");
    }

    @Test
    void rejectsANegativePublishTimeout() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalQueueSettings.parallel("orders", 2, 10, Duration.ofSeconds(-1)))
                .withMessageContaining("publishTimeout must not be negative, was PT-1S")
                .withMessageContaining("'orders'");
    }

    @Test
    void rejectsABlankName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalQueueSettings.parallel(" ", 2, 10, TIMEOUT))
                .withMessageContaining("must not be blank");
    }

    @Test
    void forcesSequentialQueuesToAParallelismOfOne() {
        LocalQueueSettings settings = new LocalQueueSettings("audit", 8, 10, TIMEOUT, LocalQueueMode.SEQUENTIAL, null);

        assertThat(settings.parallelism()).isEqualTo(1);
    }

    @Test
    void requiresAKeyFunctionForPartitionedQueues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LocalQueueSettings("stock", 4, 10, TIMEOUT, LocalQueueMode.PARTITIONED, null))
                .withMessageContaining("'stock' is PARTITIONED but has no partition key function");
    }

    @Test
    void rejectsAKeyFunctionOnQueuesThatAreNotPartitioned() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LocalQueueSettings("stock", 4, 10, TIMEOUT, LocalQueueMode.PARALLEL,
                        envelope -> envelope.id()))
                .withMessageContaining("'stock' is PARALLEL but has a partition key function");
    }

    @Test
    void queueAddressIsLocalSchemeAndName() {
        LocalQueue queue = new LocalQueue(LocalQueueSettings.parallel("orders", 1, 1, TIMEOUT), (envelope, from) -> { });

        assertThat(queue.address()).isEqualTo("local://orders");
        assertThat(queue.settings().name()).isEqualTo("orders");
        assertThat(queue.isRunning()).isFalse();
    }
}
