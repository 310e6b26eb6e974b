package dev.critter.queues.ondemand;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Workers of local queues start on demand and retire when idle, however many handler types an app has. */
class OnDemandWorkersTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    static final AtomicInteger handled = new AtomicInteger();
    static volatile CountDownLatch gate = new CountDownLatch(0);

    public record Job01(int n) { }

    public static class Job01Handler {
        public void handle(Job01 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job02(int n) { }

    public static class Job02Handler {
        public void handle(Job02 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job03(int n) { }

    public static class Job03Handler {
        public void handle(Job03 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job04(int n) { }

    public static class Job04Handler {
        public void handle(Job04 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job05(int n) { }

    public static class Job05Handler {
        public void handle(Job05 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job06(int n) { }

    public static class Job06Handler {
        public void handle(Job06 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job07(int n) { }

    public static class Job07Handler {
        public void handle(Job07 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job08(int n) { }

    public static class Job08Handler {
        public void handle(Job08 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job09(int n) { }

    public static class Job09Handler {
        public void handle(Job09 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job10(int n) { }

    public static class Job10Handler {
        public void handle(Job10 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job11(int n) { }

    public static class Job11Handler {
        public void handle(Job11 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job12(int n) { }

    public static class Job12Handler {
        public void handle(Job12 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job13(int n) { }

    public static class Job13Handler {
        public void handle(Job13 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job14(int n) { }

    public static class Job14Handler {
        public void handle(Job14 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job15(int n) { }

    public static class Job15Handler {
        public void handle(Job15 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job16(int n) { }

    public static class Job16Handler {
        public void handle(Job16 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job17(int n) { }

    public static class Job17Handler {
        public void handle(Job17 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job18(int n) { }

    public static class Job18Handler {
        public void handle(Job18 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job19(int n) { }

    public static class Job19Handler {
        public void handle(Job19 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    public record Job20(int n) { }

    public static class Job20Handler {
        public void handle(Job20 job) throws InterruptedException {
            gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            handled.incrementAndGet();
        }
    }

    @Test
    void anAppWithManyHandlerTypesHoldsNoQueueThreadWhileIdleAndOnlyWhatTheLoadNeedsUnderLoad() {
        handled.set(0);
        gate = new CountDownLatch(1);
        CritterContexts.scanning(OnDemandWorkersTests.class)
                .withPropertyValues("critter.local.default-parallelism=4", "critter.local.worker-idle-timeout=200ms")
                .run(context -> {
                    assertThat(queueThreads()).isEmpty();
                    IMessageBus bus = context.getBean(IMessageBus.class);

                    for (int i = 0; i < 10; i++) {
                        bus.publish(new Job01(i));
                    }
                    bus.publish(new Job02(0));
                    await().atMost(PATIENCE).until(() -> queueThreads().size() == 5);
                    assertThat(queueThreads()).allMatch(name -> name.startsWith("critter-job01-")
                            || name.equals("critter-job02-1"));

                    gate.countDown();
                    await().atMost(PATIENCE).until(() -> handled.get() == 11);
                    await().atMost(PATIENCE).until(() -> queueThreads().isEmpty());
                });
    }

    private static List<String> queueThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("critter-job"))
                .toList();
    }
}
