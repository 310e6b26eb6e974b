package dev.critter.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LocalQueuesTests {

    @RegisterExtension
    final LocalQueueFixture fixture = new LocalQueueFixture();

    @Test
    void anIdleQueueOfAStoppingGroupStillTakesCascadesUntilEveryQueueIsIdle() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> second = new CopyOnWriteArrayList<>();
        LocalQueue target = fixture.start(LocalQueueSettings.parallel("target", 1, 10, PATIENCE),
                (envelope, from) -> second.add(envelope.message()));
        LocalQueue source = fixture.start(LocalQueueSettings.sequential("source", 10, PATIENCE), (envelope, from) -> {
            pass(gate);
            target.send(envelope("cascade of " + envelope.message()), true);
        });
        source.send(envelope(1), false);
        source.send(envelope(2), false);
        eventually().until(() -> source.inFlight() == 1);
        LocalQueues group = new LocalQueues(List.of(source, target));

        CompletableFuture<LocalQueues.Outcome> stopping = CompletableFuture.supplyAsync(
                () -> group.stop(PATIENCE, envelope -> "test handler"));
        eventually().until(() -> !target.isRunning());
        assertThatIllegalStateException().isThrownBy(() -> target.send(envelope("outside"), false))
                .withMessageContaining("'target' is stopped");
        gate.countDown();

        assertThat(stopping.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(new LocalQueues.Outcome(true, 0, 0));
        assertThat(second).containsExactly("cascade of 1", "cascade of 2");
    }

    @Test
    void aGroupStopThatTimesOutCountsTheInterruptedHandlersAndWhatWasLeftQueued() {
        LocalQueue stuck = fixture.start(LocalQueueSettings.sequential("stuck-group", 10, PATIENCE),
                (envelope, from) -> pass(new CountDownLatch(1)));
        for (int i = 0; i < 3; i++) {
            stuck.send(envelope(i), false);
        }
        eventually().until(() -> stuck.inFlight() == 1);

        LocalQueues.Outcome outcome = new LocalQueues(List.of(stuck)).stop(Duration.ofMillis(100), envelope -> "h");

        assertThat(outcome).isEqualTo(new LocalQueues.Outcome(false, 1, 2));
    }

    @Test
    void durationsAreWrittenAsTheyAreConfigured() {
        assertThat(LocalQueues.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(LocalQueues.format(Duration.ofMillis(300))).isEqualTo("300ms");
    }
}
