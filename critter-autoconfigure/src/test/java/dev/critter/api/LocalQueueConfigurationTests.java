package dev.critter.api;

import dev.critter.CritterOptions;
import dev.critter.LocalQueueConfiguration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalQueueConfigurationTests {

    record SignUpRequest() { }
    record HTTPRequestReceived() { }
    record Order() { }
    record V2Event() { }

    @Test
    void theDefaultQueueNameIsTheSimpleNameInKebabCase() {
        assertThat(LocalQueueConfiguration.defaultNameFor(SignUpRequest.class)).isEqualTo("sign-up-request");
        assertThat(LocalQueueConfiguration.defaultNameFor(HTTPRequestReceived.class)).isEqualTo("http-request-received");
        assertThat(LocalQueueConfiguration.defaultNameFor(Order.class)).isEqualTo("order");
        assertThat(LocalQueueConfiguration.defaultNameFor(V2Event.class)).isEqualTo("v2-event");
    }

    @Test
    void localQueueForConfiguresTheTypesDefaultQueue() {
        CritterOptions options = new CritterOptions();
        options.localQueueFor(SignUpRequest.class).maximumParallelMessages(20);
        assertThat(options.localQueues().get("sign-up-request").parallelism()).isEqualTo(20);
    }

    @Test
    void sequentialAndPartitionedSettingsReplaceEachOther() {
        LocalQueueConfiguration queue = new CritterOptions().localQueue("events").maximumParallelMessages(4).sequential();
        assertThat(queue.isSequential()).isTrue();
        assertThat(queue.parallelism()).isEqualTo(1);
        queue.partitionedBy(Order.class, Order::toString);
        assertThat(queue.isSequential()).isFalse();
        assertThat(queue.isPartitioned()).isTrue();
    }

    @Test
    void badValuesAreRejectedWithTheValueAndTheQueueName() {
        CritterOptions options = new CritterOptions();
        assertThatThrownBy(() -> options.localQueue("q").maximumParallelMessages(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0").hasMessageContaining("'q'");
        assertThatThrownBy(() -> options.localQueue("q").capacity(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -5");
        assertThatThrownBy(() -> options.localQueue("bad name!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad name!'");
    }
}
