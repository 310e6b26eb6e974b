package dev.critter.observability;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.DeadLetters;
import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.critter.observability.CritterMetricNames.DEAD_LETTERS;
import static dev.critter.observability.CritterMetricNames.DESTINATION;
import static dev.critter.observability.CritterMetricNames.EXCEPTION;
import static dev.critter.observability.CritterMetricNames.FAILURE;
import static dev.critter.observability.CritterMetricNames.MESSAGES_DEAD_LETTERED;
import static dev.critter.observability.CritterMetricNames.MESSAGES_EXPIRED;
import static dev.critter.observability.CritterMetricNames.MESSAGES_HANDLED;
import static dev.critter.observability.CritterMetricNames.MESSAGES_NO_ROUTE;
import static dev.critter.observability.CritterMetricNames.MESSAGES_PUBLISHED;
import static dev.critter.observability.CritterMetricNames.MESSAGE_TYPE;
import static dev.critter.observability.CritterMetricNames.NO_EXCEPTION;
import static dev.critter.observability.CritterMetricNames.OUTCOME;
import static dev.critter.observability.CritterMetricNames.QUEUE;
import static dev.critter.observability.CritterMetricNames.QUEUE_DEPTH;
import static dev.critter.observability.CritterMetricNames.SCHEDULED_PENDING;
import static dev.critter.observability.CritterMetricNames.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Critter's Micrometer meters (SPEC §8), read back from a {@link SimpleMeterRegistry} by the
 * names and tags in {@link CritterMetricNames}.
 */
class MetricsTests {

    public record Payment(String id, boolean fail) { }
    public record Unrouted(String id) { }
    public record SlowJob(String id, boolean block) { }

    static final AtomicReference<CountDownLatch> blockerStarted = new AtomicReference<>(new CountDownLatch(1));
    static final AtomicReference<CountDownLatch> releaseBlocker = new AtomicReference<>(new CountDownLatch(1));

    public static class PaymentHandler {
        public void handle(Payment payment) {
            if (payment.fail()) {
                throw new IllegalStateException("payment " + payment.id() + " declined");
            }
        }
    }

    public static class SlowJobHandler {
        public void handle(SlowJob job) throws InterruptedException {
            if (job.block()) {
                blockerStarted.get().countDown();
                releaseBlocker.get().await(10, TimeUnit.SECONDS);
            }
        }
    }

    @BeforeEach
    void reset() {
        blockerStarted.set(new CountDownLatch(1));
        releaseBlocker.set(new CountDownLatch(1));
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(MetricsTests.class)
                .withBean(SimpleMeterRegistry.class)
                .withPropertyValues("critter.errors.retry-cooldowns=1ms,1ms",
                        "critter.local.queues.slow-job.parallelism=1");
    }

    @Test
    void handledTimerCountsEachAttemptByMessageTypeOutcomeAndException() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.publishAndWait(new Payment("p-1", false));
            tracking.publishAndWait(new Payment("p-2", false));
            tracking.allowingFailures().publishAndWait(new Payment("p-3", true));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Timer success = registry.find(MESSAGES_HANDLED).tag(MESSAGE_TYPE, Payment.class.getName())
                    .tag(OUTCOME, SUCCESS).timer();
            Timer failure = registry.find(MESSAGES_HANDLED).tag(MESSAGE_TYPE, Payment.class.getName())
                    .tag(OUTCOME, FAILURE).timer();
            assertThat(success).isNotNull();
            assertThat(success.count()).isEqualTo(2);
            assertThat(failure).isNotNull();
            // one attempt and two retries (critter.errors.retry-cooldowns=1ms,1ms)
            assertThat(failure.count()).isEqualTo(3);
            assertThat(failure.getId().getTag(EXCEPTION)).isEqualTo("IllegalStateException");
            assertThat(success.getId().getTag(EXCEPTION)).isEqualTo(NO_EXCEPTION);
            assertThat(registry.find(MESSAGES_HANDLED).timers()).hasSize(2);
        });
    }

    @Test
    void publishedCounterIsTaggedWithTheDestination() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.publishAndWait(new Payment("p-1", false));
            tracking.invokeAndWait(new Payment("p-2", false));
            tracking.publishAndWait(new Payment("p-3", false));

            Counter published = context.getBean(MeterRegistry.class).find(MESSAGES_PUBLISHED)
                    .tag(MESSAGE_TYPE, Payment.class.getName()).tag(DESTINATION, "local://payment").counter();
            assertThat(published).isNotNull();
            // invoke runs inline: it is handled, but not published to a destination
            assertThat(published.count()).isEqualTo(2);
        });
    }

    @Test
    void noRouteCounterCountsMessagesPublishedWithoutAnyRoute() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.publishAndWait(new Unrouted("u-1"));
            tracking.publishAndWait(new Unrouted("u-2"));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Counter noRoute = registry.find(MESSAGES_NO_ROUTE).tag(MESSAGE_TYPE, Unrouted.class.getName()).counter();
            assertThat(noRoute).isNotNull();
            assertThat(noRoute.count()).isEqualTo(2);
            assertThat(registry.find(MESSAGES_PUBLISHED).tag(MESSAGE_TYPE, Unrouted.class.getName()).counter()).isNull();
        });
    }

    @Test
    void deadLetteredCounterCountsMessagesThatExhaustedTheirRetries() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
            tracking.publishAndWait(new Payment("p-1", true));
            tracking.publishAndWait(new Payment("p-2", true));
            tracking.publishAndWait(new Payment("p-3", false));

            Counter deadLettered = context.getBean(MeterRegistry.class).find(MESSAGES_DEAD_LETTERED)
                    .tag(MESSAGE_TYPE, Payment.class.getName()).counter();
            assertThat(deadLettered).isNotNull();
            assertThat(deadLettered.count()).isEqualTo(2);
        });
    }

    @Test
    void expiredCounterCountsAMessageWhoseDeliverByPassedWhileItWaitedAndTheQueueDepthGaugeShowsItWaiting() {
        TestClock clock = new TestClock();
        runner().withBean(TestClock.class, () -> clock).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            bus.publish(new SlowJob("blocker", true));
            assertThat(blockerStarted.get().await(5, TimeUnit.SECONDS)).as("the blocking job started").isTrue();

            bus.publish(new SlowJob("late", false),
                    DeliveryOptions.builder().deliverWithin(Duration.ofMillis(50)).build());
            assertThat(depth(registry, "slow-job")).isEqualTo(1.0);

            clock.advance(Duration.ofMillis(51));
            releaseBlocker.get().countDown();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Counter expired = registry.find(MESSAGES_EXPIRED).tag(MESSAGE_TYPE, SlowJob.class.getName()).counter();
                assertThat(expired).isNotNull();
                assertThat(expired.count()).isEqualTo(1);
            });
            Timer handled = registry.find(MESSAGES_HANDLED).tag(MESSAGE_TYPE, SlowJob.class.getName())
                    .tag(OUTCOME, SUCCESS).timer();
            assertThat(handled).isNotNull();
            assertThat(handled.count()).as("only the blocker is handled; the late job never is").isEqualTo(1);
            assertThat(depth(registry, "slow-job")).isEqualTo(0.0);
        });
    }

    @Test
    void everyMeterHasADescriptionAndCountsMessagesOrSeconds() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
            tracking.publishAndWait(new Payment("p-1", true));
            context.getBean(IMessageBus.class).publish(new Unrouted("u-1"));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("critter."))
                    .extracting(m -> m.getId().getName())
                    .contains(MESSAGES_PUBLISHED, MESSAGES_HANDLED, MESSAGES_DEAD_LETTERED, MESSAGES_NO_ROUTE, QUEUE_DEPTH,
                            SCHEDULED_PENDING, DEAD_LETTERS);
            assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("critter."))
                    .allSatisfy(m -> {
                        assertThat(m.getId().getDescription()).as("description of %s", m.getId()).isNotBlank();
                        assertThat(m.getId().getBaseUnit()).as("base unit of %s", m.getId())
                                .isIn("messages", "seconds");
                    });
        });
    }

    @Test
    void deadLettersGaugeReadsTheStoredDeadLetters() {
        runner().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(gauge(registry, DEAD_LETTERS).value()).isEqualTo(0.0);
            MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
            tracking.publishAndWait(new Payment("p-1", true));
            tracking.publishAndWait(new Payment("p-2", true));
            assertThat(gauge(registry, DEAD_LETTERS).value()).isEqualTo(2.0);
            DeadLetters deadLetters = context.getBean(DeadLetters.class);
            deadLetters.discard(deadLetters.list().get(0).id());
            assertThat(gauge(registry, DEAD_LETTERS).value()).isEqualTo(1.0);
        });
    }

    @Test
    void scheduledPendingGaugeReadsTheMessagesWaitingForTheirDueTime() {
        runner().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(gauge(registry, SCHEDULED_PENDING).value()).isEqualTo(0.0);
            IMessageBus bus = context.getBean(IMessageBus.class);
            bus.schedule(new Payment("later-1", false), Duration.ofHours(1));
            bus.schedule(new Payment("later-2", false), Instant.now().plus(Duration.ofHours(2)));
            assertThat(gauge(registry, SCHEDULED_PENDING).value()).isEqualTo(2.0);
        });
    }

    @Test
    void queueDepthGaugeExistsForEveryLocalQueue() {
        runner().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find(QUEUE_DEPTH).gauges()).extracting(g -> g.getId().getTag(QUEUE))
                    .containsExactlyInAnyOrder("payment", "slow-job");
            assertThat(depth(registry, "payment")).isEqualTo(0.0);
        });
    }

    @Test
    void gaugesStillReadTheirFiguresAfterGarbageCollection() {
        runner().run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Payment("p-1", true));
            collectGarbage();
            assertThat(depth(registry, "payment")).isEqualTo(0.0);
            assertThat(gauge(registry, DEAD_LETTERS).value()).isEqualTo(1.0);
            assertThat(gauge(registry, SCHEDULED_PENDING).value()).isEqualTo(0.0);
        });
    }

    private static void collectGarbage() {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            System.gc();
            return sentinel.get() == null;
        });
    }

    private static Gauge gauge(MeterRegistry registry, String name) {
        @Nullable Gauge gauge = registry.find(name).gauge();
        assertThat(gauge).as("gauge %s", name).isNotNull();
        return gauge;
    }

    private static double depth(MeterRegistry registry, String queue) {
        @Nullable Gauge gauge = registry.find(QUEUE_DEPTH).tag(QUEUE, queue).gauge();
        assertThat(gauge).as("gauge %s{queue=%s}", QUEUE_DEPTH, queue).isNotNull();
        return gauge.value();
    }
}
