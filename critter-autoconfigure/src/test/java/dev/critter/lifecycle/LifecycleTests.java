package dev.critter.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LifecycleTests {

    public record Work(int number) { }
    public record Gate(String id) { }
    public record Perishable(String id) { }

    static final AtomicInteger worked = new AtomicInteger();
    static volatile CountDownLatch gate = new CountDownLatch(0);
    static volatile CountDownLatch gateEntered = new CountDownLatch(0);
    static final List<String> perishablesHandled = new CopyOnWriteArrayList<>();

    public static class LifecycleHandler {
        public void handle(Work work) {
            worked.incrementAndGet();
        }

        public void handle(Gate g) throws InterruptedException {
            gateEntered.countDown();
            gate.await(30, TimeUnit.SECONDS);
        }

        public void handle(Perishable perishable) {
            perishablesHandled.add(perishable.id());
        }
    }

    @Test
    void closingTheContextDrainsMessagesStillQueued() {
        worked.set(0);
        CritterContexts.scanning(LifecycleTests.class)
                .withPropertyValues("critter.local.queues.work.parallelism=1")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    for (int i = 0; i < 2_000; i++) {
                        bus.publish(new Work(i));
                    }
                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
                    assertThat(worked.get()).isEqualTo(2_000);
                    assertThatThrownBy(() -> bus.publish(new Work(-1))).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("'work'");
                });
    }

    @Test
    void shutdownGivesUpOnABlockedHandlerAfterTheShutdownTimeout() {
        gate = new CountDownLatch(1);
        CritterContexts.scanning(LifecycleTests.class)
                .withPropertyValues("critter.shutdown-timeout=300ms", "critter.local.queues.gate.parallelism=1")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    dev.critter.DeadLetters deadLetters = context.getBean(dev.critter.DeadLetters.class);
                    gateEntered = new CountDownLatch(1);
                    bus.publish(new Gate("first"));
                    bus.publish(new Gate("second"));
                    // the first message is in its handler before the stop, however loaded the machine
                    assertThat(gateEntered.await(30, TimeUnit.SECONDS)).isTrue();
                    long start = System.nanoTime();
                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                    // the handler interrupted by the stop is kept as a dead letter, not retried or lost
                    assertThat(deadLetters.list())
                            .singleElement()
                            .satisfies(d -> {
                                assertThat(d.envelope().message()).isEqualTo(new Gate("first"));
                                assertThat(d.exceptionType()).isEqualTo(InterruptedException.class.getName());
                            });
                    gate.countDown();
                });
    }

    @Test
    void anExpiredMessageIsDiscardedAndNeverHandled() {
        gate = new CountDownLatch(1);
        perishablesHandled.clear();
        TestClock clock = new TestClock();
        CritterContexts.scanning(LifecycleTests.class)
                .withBean(TestClock.class, () -> clock)
                .withPropertyValues("critter.local.queues.gate.parallelism=1")
                .withBean(dev.critter.CritterConfigurer.class, () -> o ->
                        o.publish(r -> r.message(Perishable.class).toLocalQueue("gate")))
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> {
                        bus.publish(new Gate("blocks the only worker"));
                        bus.publish(new Perishable("milk"), DeliveryOptions.builder()
                                .deliverWithin(Duration.ofMillis(100)).build());
                        bus.publish(new Perishable("cheese"), DeliveryOptions.builder()
                                .deliverWithin(Duration.ofMillis(101)).build());
                        bus.publish(new Perishable("salt"));
                        // Exactly at milk's deliver-by it is still good; one step later it is not.
                        clock.advance(Duration.ofMillis(100));
                        clock.advance(Duration.ofNanos(1));
                        gate.countDown();
                    });
                    assertThat(perishablesHandled).containsExactly("cheese", "salt");
                    assertThat(session.events()).anyMatch(e -> e.kind().name().equals("EXPIRED")
                            && e.envelope().message().equals(new Perishable("milk")));
                });
    }
}
