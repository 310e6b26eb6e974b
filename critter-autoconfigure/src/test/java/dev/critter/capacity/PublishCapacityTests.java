package dev.critter.capacity;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.QueueFullException;
import dev.critter.observability.CritterMetricNames;
import dev.critter.runtime.MessageObserver;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PublishCapacityTests {

    /** Routed to queues "wide" and "narrow". */
    public record Both(String id) { }
    /** Holds the one worker of queue "narrow" until released. */
    public record Block(String id) { }
    public record Outer(String id) { }

    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile CompletableFuture<Void> nested;

    public static class CapacityHandler {
        public void handle(Both both) {
        }

        public void handle(Block block) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
        }

        public void handle(Outer outer, MessageContext context) {
            nested = context.invokeAsync(new Block("nested"));
        }
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(PublishCapacityTests.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("critter.local.publish-timeout=100ms",
                        "critter.local.queues.narrow.parallelism=1", "critter.local.queues.narrow.capacity=1")
                .withBean(CritterConfigurer.class, () -> o -> o.publish(r -> r
                        .message(Both.class).toLocalQueue("wide")
                        .message(Both.class).toLocalQueue("narrow")
                        .message(Block.class).toLocalQueue("narrow")));
    }

    /** Occupies the worker of "narrow" and fills its one place. */
    private static void fillNarrow(AssertableApplicationContext context) {
        release = new CountDownLatch(1);
        IMessageBus bus = context.getBean(IMessageBus.class);
        bus.publish(new Block("running"));
        await().atMost(Duration.ofSeconds(30)).until(() -> depth(context, "narrow") == 0);
        bus.publish(new Block("waiting"));
        assertThat(depth(context, "narrow")).isEqualTo(1);
    }

    private static int depth(AssertableApplicationContext context, String queue) {
        return context.getBean(CritterDiagnostics.class).localQueues().stream()
                .filter(q -> q.name().equals(queue)).findFirst().orElseThrow().depth();
    }

    @Test
    void aPublishToSeveralQueuesWhereOneStaysFullSendsToNone() {
        runner().run(context -> {
            fillNarrow(context);
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() ->
                    assertThatThrownBy(() -> context.getBean(IMessageBus.class).publish(new Both("b")))
                            .isInstanceOf(QueueFullException.class));
            release.countDown();
            assertThat(session.sent().messagesOf(Both.class)).isEmpty();
        });
    }

    /** Stands in for another publisher that fills "narrow" between the capacity check and the sends. */
    static final class FillNarrowOnceWideHasBoth implements MessageObserver {
        volatile IMessageBus bus;
        final AtomicBoolean filled = new AtomicBoolean();

        @Override
        public void sent(Envelope envelope, String destination) {
            if (envelope.message() instanceof Both && destination.equals("local://wide") && filled.compareAndSet(false, true)) {
                bus.publish(new Block("filler"));
            }
        }
    }

    @Test
    void aQueueThatFillsAfterACopyWasSentGetsADeadLetterInsteadOfFailingAPublishARetryWouldDuplicate() {
        FillNarrowOnceWideHasBoth filler = new FillNarrowOnceWideHasBoth();
        runner().withBean(FillNarrowOnceWideHasBoth.class, () -> filler).run(context -> {
            release = new CountDownLatch(1);
            IMessageBus bus = context.getBean(IMessageBus.class);
            filler.bus = bus;
            bus.publish(new Block("running"));
            await().atMost(Duration.ofSeconds(30)).until(() -> depth(context, "narrow") == 0);

            // Room in both at the check; "narrow" fills before its copy is sent, after "wide" got one.
            bus.publish(new Both("raced"));

            release.countDown();
            DeadLetters deadLetters = context.getBean(DeadLetters.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.count() == 1);
            DeadLetter letter = deadLetters.list().get(0);
            assertThat(letter.envelope().message()).isEqualTo(new Both("raced"));
            assertThat(letter.destination()).isEqualTo("local://narrow");
        });
    }

    @Test
    void aSendTheQueueRefusedIsNotCountedAsPublished() {
        runner().run(context -> {
            fillNarrow(context);
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).publish(new Block("refused")))
                    .isInstanceOf(QueueFullException.class);
            release.countDown();
            double published = context.getBean(MeterRegistry.class).get(CritterMetricNames.MESSAGES_PUBLISHED)
                    .tag(CritterMetricNames.MESSAGE_TYPE, Block.class.getName()).counter().count();
            assertThat(published).isEqualTo(2.0);
        });
    }

    @Test
    void invokeAsyncFromAHandlerRunByAnOutsideInvokeWaitsForRoomLikeItsCaller() {
        runner().run(context -> {
            fillNarrow(context);
            context.getBean(IMessageBus.class).invoke(new Outer("o"));
            await().atMost(Duration.ofSeconds(30)).until(nested::isDone);
            assertThatThrownBy(nested::join).hasCauseInstanceOf(QueueFullException.class);
            release.countDown();
        });
    }
}
