package dev.critter.lifecycle.twophase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.critter.DeadLetters;
import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.runtime.CritterRuntime;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class TwoPhaseShutdownTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    public record Nap(String id) { }
    public record Wake(String id) { }
    public record Doze(String id) { }
    public record Later(String id) { }

    static volatile CountDownLatch gate = new CountDownLatch(0);
    static volatile CountDownLatch entered = new CountDownLatch(0);
    static final List<String> woken = new CopyOnWriteArrayList<>();

    /** Blocks on the test's gate, then cascades a {@link Wake} onto the {@code wake} queue. */
    public static class NapHandler {
        public Wake handle(Nap nap) throws InterruptedException {
            entered.countDown();
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return new Wake(nap.id());
        }
    }

    public static class WakeHandler {
        public void handle(Wake wake) {
            woken.add(wake.id());
        }
    }

    /** Blocks on the test's gate, then schedules a {@link Later} an hour ahead. */
    public static class DozeHandler {
        public void handle(Doze doze, MessageContext context) throws InterruptedException {
            entered.countDown();
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            context.publish(new Later(doze.id()), DeliveryOptions.builder().delay(Duration.ofHours(1)).build());
        }
    }

    public static class LaterHandler {
        public void handle(Later later) {
            // Never due during the test.
        }
    }

    @BeforeEach
    void reset() {
        woken.clear();
        gate = new CountDownLatch(1);
        entered = new CountDownLatch(1);
    }

    @Test
    void aCascadeFromADrainingQueueOntoAnIdleQueueIsHandledAndShutdownSaysWhatItWaitsFor(CapturedOutput output) {
        CritterContexts.scanning(TwoPhaseShutdownTests.class)
                .withPropertyValues("critter.shutdown-timeout=30s", "critter.local.queues.nap.parallelism=1")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    DeadLetters deadLetters = context.getBean(DeadLetters.class);
                    bus.publish(new Nap("a"));
                    bus.publish(new Nap("b"));
                    assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                    CompletableFuture<Void> closing = closeInBackground(context);
                    // The idle 'wake' queue has had every chance to terminate on its own (its workers
                    // gone), or the group's drain has announced itself.
                    await().atMost(PATIENCE).until(() -> workersOf("wake").isEmpty()
                            || output.getAll().contains("Critter is stopping"));
                    gate.countDown();
                    closing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

                    assertThat(woken).containsExactlyInAnyOrder("a", "b");
                    assertThat(deadLetters.list()).isEmpty();
                    assertThat(output.getAll()).contains("Critter is stopping, waiting up to 30s "
                            + "(critter.shutdown-timeout): 'nap' 1 running, 1 queued");
                });
    }

    @Test
    void aDelayedCascadeSentWhileDrainingIsAcceptedBecauseTheSchedulerStopsLast(CapturedOutput output) {
        CritterContexts.scanning(TwoPhaseShutdownTests.class)
                .withPropertyValues("critter.shutdown-timeout=30s")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    DeadLetters deadLetters = context.getBean(DeadLetters.class);
                    bus.publish(new Doze("z"));
                    assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                    CompletableFuture<Void> closing = closeInBackground(context);
                    // The scheduler has had every chance to stop first (its thread gone), or the
                    // group's drain has announced itself.
                    await().atMost(PATIENCE).until(() -> threadsNamed("critter-scheduler").isEmpty()
                            || output.getAll().contains("Critter is stopping"));
                    gate.countDown();
                    closing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

                    assertThat(deadLetters.list()).isEmpty();
                    assertThat(output.getAll())
                            .contains("1 scheduled messages held in memory were not delivered before shutdown");
                });
    }

    @Test
    void handlersStillRunningAtTheTimeoutAreNamedWithTheirMessageAndCounted(CapturedOutput output) {
        CritterContexts.scanning(TwoPhaseShutdownTests.class)
                .withPropertyValues("critter.shutdown-timeout=300ms", "critter.local.queues.nap.parallelism=1")
                .run(context -> {
                    context.getBean(IMessageBus.class).publish(new Nap("stuck"));
                    assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

                    assertThat(output.getAll())
                            .contains("Critter stopped waiting after 300ms (critter.shutdown-timeout) and interrupts "
                                    + "1 message(s) still being handled")
                            .containsPattern("handler NapHandler\\.handle\\(Nap\\), \\S*Nap [0-9a-f-]{36} \\(queue 'nap'\\)");
                });
    }

    @Test
    void stopWithACallbackReturnsAtOnceAndCallsBackOnceDrained() {
        CritterContexts.scanning(TwoPhaseShutdownTests.class)
                .withPropertyValues("critter.shutdown-timeout=30s")
                .run(context -> {
                    context.getBean(IMessageBus.class).publish(new Nap("slow"));
                    assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    CritterRuntime runtime = context.getBean(CritterRuntime.class);
                    CountDownLatch stopped = new CountDownLatch(1);

                    runtime.stop(stopped::countDown);

                    assertThat(runtime.isRunning()).isFalse();
                    assertThat(stopped.getCount()).isEqualTo(1);
                    gate.countDown();
                    assertThat(stopped.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    assertThat(woken).containsExactly("slow");
                });
    }

    @Test
    void aShutdownTimeoutLongerThanSpringsPhaseTimeoutIsClampedWithAWarning(CapturedOutput output) {
        CritterContexts.scanning(TwoPhaseShutdownTests.class)
                .withPropertyValues("critter.shutdown-timeout=1m", "spring.lifecycle.timeout-per-shutdown-phase=1s",
                        "critter.local.queues.nap.parallelism=1")
                .run(context -> {
                    assertThat(output.getAll()).contains("critter.shutdown-timeout=PT1M is longer than "
                            + "spring.lifecycle.timeout-per-shutdown-phase=PT1S");
                    context.getBean(IMessageBus.class).publish(new Nap("stuck"));
                    assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

                    assertThat(output.getAll()).contains("Critter stopped waiting after 1s (critter.shutdown-timeout)");
                });
    }

    private static CompletableFuture<Void> closeInBackground(AssertableApplicationContext context) {
        ConfigurableApplicationContext source = (ConfigurableApplicationContext) context.getSourceApplicationContext();
        return CompletableFuture.runAsync(source::close, runnable -> {
            Thread closer = new Thread(runnable, "test-closer");
            closer.setDaemon(true);
            closer.start();
        });
    }

    private static List<Thread> workersOf(String queueName) {
        return threadsNamed("critter-" + queueName + "-");
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix))
                .toList();
    }
}
