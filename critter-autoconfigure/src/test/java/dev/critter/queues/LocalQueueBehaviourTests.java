package dev.critter.queues;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.QueueFullException;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Local queue behaviour driven the way users drive it: through the bus and configuration. */
class LocalQueueBehaviourTests {

    public record SlowJob(int number) { }
    public record Step(int number) { }
    public record StockChanged(String productId, int sequence) { }
    public record Blocker(String id) { }
    public record Filler(int number) { }
    public record FanOut(int remaining) { }

    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();
    static final AtomicInteger handled = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(0);
    static final List<Integer> steps = new CopyOnWriteArrayList<>();
    static final Map<String, List<Integer>> stock = new ConcurrentHashMap<>();
    static final AtomicReference<CountDownLatch> otherKeyStarted = new AtomicReference<>(new CountDownLatch(0));
    static final List<Integer> filled = new CopyOnWriteArrayList<>();

    public static class JobHandler {
        public void handle(SlowJob job) throws InterruptedException {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
                handled.incrementAndGet();
            }
        }

        public void handle(Step step) {
            steps.add(step.number());
        }

        public void handle(StockChanged change) throws InterruptedException {
            if (change.productId().equals("hot") && change.sequence() == 0) {
                // the hot key's first message waits until another key has run: proves keys overlap
                assertThat(otherKeyStarted.get().await(30, TimeUnit.SECONDS)).isTrue();
            } else if (!change.productId().equals("hot")) {
                otherKeyStarted.get().countDown();
            }
            stock.computeIfAbsent(change.productId(), k -> new CopyOnWriteArrayList<>()).add(change.sequence());
        }

        public void handle(Blocker blocker) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
        }

        public void handle(Filler filler) {
            filled.add(filler.number());
        }

        public FanOut handle(FanOut fanOut, MessageContext context) {
            handled.incrementAndGet();
            if (fanOut.remaining() == 100) {
                for (int i = 0; i < 100; i++) {
                    context.publish(new FanOut(0));
                }
            }
            return null;
        }
    }

    @BeforeEach
    void reset() {
        running.set(0);
        maxRunning.set(0);
        handled.set(0);
        steps.clear();
        stock.clear();
        filled.clear();
    }

    @Test
    void aQueueWithThreeParallelMessagesRunsExactlyThreeAtOnce() {
        release = new CountDownLatch(1);
        CritterContexts.scanning(LocalQueueBehaviourTests.class)
                .withBean(CritterConfigurer.class, () -> o -> o.localQueueFor(SlowJob.class).maximumParallelMessages(3))
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    for (int i = 0; i < 12; i++) {
                        bus.publish(new SlowJob(i));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> running.get() == 3);
                    CritterDiagnostics diagnostics = context.getBean(CritterDiagnostics.class);
                    // the other 9 wait in the queue while 3 are blocked: no fourth handler starts
                    await().atMost(Duration.ofSeconds(30)).until(() -> depth(diagnostics, "slow-job") == 9);
                    assertThat(running.get()).isEqualTo(3);
                    release.countDown();
                    await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() == 12);
                    assertThat(maxRunning.get()).isEqualTo(3);
                });
    }

    @Test
    void aSequentialQueueKeepsThePublishOrderOfTenThousandMessages() {
        CritterContexts.scanning(LocalQueueBehaviourTests.class)
                .withPropertyValues("critter.local.queues.step.sequential=true")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    context.getBean(MessageTracking.class).withTimeout(Duration.ofSeconds(60)).executeAndWait(() -> {
                        for (int i = 0; i < 10_000; i++) {
                            bus.publish(new Step(i));
                        }
                    });
                    assertThat(steps).hasSize(10_000);
                    for (int i = 0; i < 10_000; i++) {
                        assertThat(steps.get(i)).isEqualTo(i);
                    }
                });
    }

    @Test
    void aPartitionedQueueKeepsPerKeyOrderWhileKeysOverlap() {
        otherKeyStarted.set(new CountDownLatch(1));
        CritterContexts.scanning(LocalQueueBehaviourTests.class)
                .withPropertyValues("critter.local.queues.stock-changed.partition-by=productId",
                        "critter.local.queues.stock-changed.parallelism=4")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    context.getBean(MessageTracking.class).withTimeout(Duration.ofSeconds(60)).executeAndWait(() -> {
                        for (int sequence = 0; sequence < 300; sequence++) {
                            bus.publish(new StockChanged("hot", sequence));
                            for (int product = 0; product < 10; product++) {
                                bus.publish(new StockChanged("p" + product, sequence));
                            }
                        }
                    });
                    assertThat(stock).hasSize(11);
                    stock.forEach((product, sequences) -> {
                        assertThat(sequences).hasSize(300);
                        for (int i = 0; i < 300; i++) {
                            assertThat(sequences.get(i)).as("order of %s: %s", product, sequences.subList(Math.max(0, i - 5), Math.min(300, i + 5))).isEqualTo(i);
                        }
                    });
                });
    }

    @Test
    void aFullQueueBlocksThePublisherThenThrowsQueueFullAndLosesNothing() {
        release = new CountDownLatch(1);
        CritterContexts.scanning(LocalQueueBehaviourTests.class)
                .withPropertyValues("critter.local.queues.blocker.parallelism=1",
                        "critter.local.publish-timeout=300ms")
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.publish(r -> r.message(Filler.class).toLocalQueue("blocker"));
                    o.localQueue("blocker").capacity(5);
                })
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    CritterDiagnostics diagnostics = context.getBean(CritterDiagnostics.class);
                    bus.publish(new Blocker("b"));
                    await().atMost(Duration.ofSeconds(30)).until(() -> depth(diagnostics, "blocker") == 0);
                    for (int i = 0; i < 5; i++) {
                        bus.publish(new Filler(i));
                    }
                    long start = System.nanoTime();
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.publish(new Filler(99)))
                            .isInstanceOf(QueueFullException.class)
                            .hasMessageContaining("'blocker'")
                            .hasMessageContaining("capacity 5");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                    release.countDown();
                    await().atMost(Duration.ofSeconds(30)).until(() -> filled.size() == 5);
                    assertThat(filled).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
                });
    }

    @Test
    void aHandlerCascadingTenTimesCapacityOntoItsOwnQueueCompletes() {
        CritterContexts.scanning(LocalQueueBehaviourTests.class)
                .withPropertyValues("critter.local.queues.fan-out.capacity=10",
                        "critter.local.queues.fan-out.parallelism=1",
                        "critter.local.publish-timeout=200ms")
                .run(context -> {
                    TrackedSession session = context.getBean(MessageTracking.class).withTimeout(Duration.ofSeconds(30))
                            .publishAndWait(new FanOut(100));
                    assertThat(session.executed().messagesOf(FanOut.class)).hasSize(101);
                    assertThat(handled.get()).isEqualTo(101);
                });
    }

    private static int depth(CritterDiagnostics diagnostics, String queue) {
        return diagnostics.localQueues().stream().filter(q -> q.name().equals(queue)).findFirst().orElseThrow().depth();
    }
}
