package dev.critter.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.critter.local.LocalQueueBackPressureTests.Publisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LocalQueueStopTests {

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void stopDrainsQueuedMessagesAdmitsHandlerSendsAndReturnsZero() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("drain", 100, PATIENCE), (envelope, from) -> {
            if (envelope.message() instanceof Integer parent) {
                pass(gate);
                from.send(envelope("child-" + parent), true);
            }
            handled.add(envelope.message());
        });
        for (int i = 0; i < 10; i++) {
            queue.send(envelope(i), false);
        }
        eventually().until(() -> queue.inFlight() == 1);

        CompletableFuture<Integer> stopping = stopInBackground(queue, PATIENCE);
        eventually().until(() -> !queue.isRunning());
        assertThatIllegalStateException()
                .isThrownBy(() -> queue.send(envelope("late"), false))
                .withMessageStartingWith("Local queue 'drain' is stopped");

        gate.countDown();
        assertThat(stopping.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isZero();
        assertThat(handled).hasSize(20).doesNotContain("late");
        assertThat(handled).filteredOn(String.class::isInstance).hasSize(10);
        assertThat(queue.depth()).isZero();
    }

    @Test
    void stopReturnsHowManyWereLeftWhenAHandlerOutlastsTheDrainTimeout() throws Exception {
        CountDownLatch neverOpened = new CountDownLatch(1);
        AtomicBoolean handlerInterrupted = new AtomicBoolean();
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("stuck", 100, PATIENCE), (envelope, from) -> {
            try {
                neverOpened.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                handlerInterrupted.set(true);
            }
        });
        for (int i = 0; i < 6; i++) {
            queue.send(envelope(i), false);
        }
        eventually().until(() -> queue.inFlight() == 1);

        assertThat(queue.stop(Duration.ofMillis(200))).isEqualTo(5);

        assertThat(handlerInterrupted).isTrue();
        assertThat(LocalQueueFixture.workersOf("stuck")).isEmpty();
        assertThatIllegalStateException()
                .isThrownBy(() -> queue.send(envelope("late"), false))
                .withMessageStartingWith("Local queue 'stuck' is stopped");
        assertThatIllegalStateException()
                .isThrownBy(() -> queue.send(envelope("late cascade"), true))
                .withMessageStartingWith("Local queue 'stuck' is stopped");
        assertThat(queue.stop(Duration.ofMillis(200))).isEqualTo(5);
    }

    @Test
    void publisherBlockedAtStopIsWokenWithIllegalStateException() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("blocked", 1, 1, PATIENCE),
                (envelope, from) -> pass(gate));
        queue.send(envelope(0), false);
        eventually().until(() -> queue.inFlight() == 1);
        queue.send(envelope(1), false);
        Publisher publisher = Publisher.start("blocked-publisher", () -> queue.send(envelope(2), false));
        eventually().until(() -> publisher.thread.getState() == Thread.State.TIMED_WAITING);

        CompletableFuture<Integer> stopping = stopInBackground(queue, PATIENCE);

        eventually().atMost(Duration.ofSeconds(10)).until(publisher::hasReturned);
        assertThat(publisher.failure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Local queue 'blocked' is stopped");
        gate.countDown();
        assertThat(stopping.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void stopBeforeStartReportsWhatWasQueuedAndTheQueueCannotStartAgain() {
        LocalQueue queue = queues.create(LocalQueueSettings.parallel("never", 2, 10, PATIENCE), (envelope, from) -> { });
        for (int i = 0; i < 3; i++) {
            queue.send(envelope(i), false);
        }

        assertThat(queue.stop(PATIENCE)).isEqualTo(3);
        assertThatIllegalStateException().isThrownBy(queue::start).withMessageContaining("'never' was stopped");
    }

    private static CompletableFuture<Integer> stopInBackground(LocalQueue queue, Duration drainTimeout) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                result.complete(queue.stop(drainTimeout));
            } catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        }, "stopper-" + queue.settings().name());
        stopper.setDaemon(true);
        stopper.start();
        return result;
    }
}
