package dev.critter.bus;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.Messages;
import dev.critter.OutgoingMessages;
import dev.critter.support.CritterContexts;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CascadingTests {

    public record PlaceOrder(String id) { }
    public record OrderPlaced(String id) { }
    public record SendReceipt(String id) { }
    public record AuditEntry(String text) { }
    public record ShipLater(String id) { }
    public record ManyLines(int count) { }
    public record Line(int number) { }
    public record Fragile(String id) { }
    public record SideEffect(String id) { }
    public record ThroughService(String id) { }
    public record AsyncWork(String id, boolean fail) { }
    public record AsyncDone(String id) { }

    static final List<Object> seen = new CopyOnWriteArrayList<>();
    static final AtomicBoolean failFragile = new AtomicBoolean();
    static volatile java.time.Instant shipLaterHandledAt;
    static volatile java.time.Clock clock = java.time.Clock.systemUTC();

    public static class OrderHandler {
        public OrderPlaced handle(PlaceOrder command) {
            return new OrderPlaced(command.id());
        }
    }

    public static class OrderPlacedConsumer {
        public Object[] consume(OrderPlaced event) {
            seen.add(event);
            return new Object[] {new SendReceipt(event.id()), new AuditEntry("placed " + event.id())};
        }
    }

    public static class ReceiptHandler {
        public static OutgoingMessages handle(SendReceipt receipt) {
            seen.add(receipt);
            return new OutgoingMessages().add(new AuditEntry("receipt " + receipt.id()))
                    .delay(new ShipLater(receipt.id()), Duration.ofMillis(200));
        }

        public void handle(AuditEntry entry) {
            seen.add(entry);
        }

        public void handle(ShipLater ship) {
            shipLaterHandledAt = clock.instant();
            seen.add(ship);
        }

        public Stream<Line> handle(ManyLines many) {
            return Stream.iterate(1, i -> i <= many.count(), i -> i + 1).map(Line::new);
        }

        public void handle(Line line) {
            seen.add(line);
        }
    }

    public static class FragileHandler {
        public SideEffect handle(Fragile fragile, MessageContext context) {
            context.publish(new AuditEntry("held " + fragile.id()));
            if (failFragile.get()) {
                throw new IllegalStateException("fragile " + fragile.id() + " broke");
            }
            return new SideEffect(fragile.id());
        }

        public void handle(SideEffect effect) {
            seen.add(effect);
        }
    }

    public static class AsyncWorkHandler {
        public java.util.concurrent.CompletableFuture<AsyncDone> handleAsync(AsyncWork work) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                if (work.fail()) {
                    throw new IllegalStateException("async " + work.id() + " failed");
                }
                return new AsyncDone(work.id());
            });
        }

        public void handle(AsyncDone done) {
            seen.add(done);
        }
    }

    public static class AuditingService {
        private final IMessageBus bus;

        public AuditingService(IMessageBus bus) {
            this.bus = bus;
        }

        void audit(String text) {
            bus.publish(new AuditEntry(text));
        }
    }

    public static class ThroughServiceHandler {
        private final AuditingService service;

        public ThroughServiceHandler(IMessageBus bus) {
            this.service = new AuditingService(bus);
        }

        public void handle(ThroughService message) {
            service.audit("through " + message.id());
            if (!message.id().startsWith("ok")) {
                throw new IllegalArgumentException("fails unless the id starts with ok");
            }
        }
    }

    @Test
    void cascadesSingleObjectsArraysOutgoingMessagesAndDelayedMessages() {
        TestClock testClock = new TestClock();
        clock = testClock;
        CritterContexts.scanning(CascadingTests.class).withBean(TestClock.class, () -> testClock).run(context -> {
            seen.clear();
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> {
                context.getBean(IMessageBus.class).invoke(new PlaceOrder("o-1"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> context.getBean(MessageScheduler.class).pending() == 1);
                assertThat(seen).doesNotContain(new ShipLater("o-1"));
                testClock.advance(Duration.ofMillis(200));
            });

            assertThat(session.executed().singleMessage(OrderPlaced.class)).isEqualTo(new OrderPlaced("o-1"));
            assertThat(session.executed().messagesOf(AuditEntry.class)).containsExactlyInAnyOrder(
                    new AuditEntry("placed o-1"), new AuditEntry("receipt o-1"));
            assertThat(session.executed().singleMessage(ShipLater.class)).isEqualTo(new ShipLater("o-1"));
            assertThat(seen).contains(new ShipLater("o-1"));
            ShipLaterTiming.assertDelayed(session);
        });
    }

    @Test
    void cascadesEachElementOfAStream() {
        CritterContexts.scanning(CascadingTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new ManyLines(25));
            assertThat(session.executed().messagesOf(Line.class)).hasSize(25);
        });
    }

    @Test
    void holdsCascadesUntilTheHandlerSucceeds() {
        CritterContexts.scanning(CascadingTests.class).run(context -> {
            failFragile.set(false);
            TrackedSession ok = context.getBean(MessageTracking.class).publishAndWait(new Fragile("f-1"));
            assertThat(ok.executed().singleMessage(SideEffect.class)).isEqualTo(new SideEffect("f-1"));
            assertThat(ok.executed().singleMessage(AuditEntry.class)).isEqualTo(new AuditEntry("held f-1"));
        });
    }

    @Test
    void dropsCascadesWhenTheHandlerFails() {
        CritterContexts.scanning(CascadingTests.class).withPropertyValues("critter.errors.retry-cooldowns=1ms")
                .run(context -> {
                    failFragile.set(true);
                    TrackedSession failed = context.getBean(MessageTracking.class).allowingFailures()
                            .publishAndWait(new Fragile("f-2"));
                    assertThat(failed.failed().singleMessage(Fragile.class)).isEqualTo(new Fragile("f-2"));
                    assertThat(failed.deadLettered().singleMessage(Fragile.class)).isEqualTo(new Fragile("f-2"));
                    assertThat(failed.sent().messagesOf(AuditEntry.class)).isEmpty();
                    assertThat(failed.sent().messagesOf(SideEffect.class)).isEmpty();
                    assertThat(context.getBean(DeadLetters.class).list()).hasSize(1);
                    failFragile.set(false);
                });
    }

    @Test
    void theSingletonBusInsideAHandlerBehavesAsItsContext() {
        CritterContexts.scanning(CascadingTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                            .publishAndWait(new ThroughService("t-1"));
                    assertThat(session.deadLettered().singleMessage(ThroughService.class)).isNotNull();
                    // published through the singleton bus by a service the handler called: held, then dropped
                    assertThat(session.sent().messagesOf(AuditEntry.class)).isEmpty();
                    assertThat(session.all().messagesOf(AuditEntry.class)).isEmpty();
                });
    }

    @Test
    void theSingletonBusInsideAHandlerLinksAndReleasesItsMessagesWhenTheHandlerSucceeds() {
        CritterContexts.scanning(CascadingTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new ThroughService("ok-1"));
            UUID handled = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof ThroughService).findFirst().orElseThrow().id();
            // a detached bus would publish without causation: tracking would not even see the message
            assertThat(session.executed().singleMessage(AuditEntry.class)).isEqualTo(new AuditEntry("through ok-1"));
            assertThat(session.executed().envelopes().stream().filter(e -> e.message() instanceof AuditEntry)
                    .findFirst().orElseThrow().causationId()).isEqualTo(handled);
        });
    }

    @Test
    void theResultOfAnAsyncHandlersFutureCascadesWhenItCompletes() {
        CritterContexts.scanning(CascadingTests.class).withPropertyValues("critter.errors.retry-cooldowns=1ms")
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    TrackedSession ok = tracking.publishAndWait(new AsyncWork("a-1", false));
                    assertThat(ok.executed().singleMessage(AsyncDone.class)).isEqualTo(new AsyncDone("a-1"));

                    TrackedSession failed = tracking.allowingFailures().publishAndWait(new AsyncWork("a-2", true));
                    assertThat(failed.deadLettered().singleMessage(AsyncWork.class).id()).isEqualTo("a-2");
                    assertThat(context.getBean(DeadLetters.class).list().get(0).exceptionMessage())
                            .isEqualTo("async a-2 failed");
                });
    }

    static final class ShipLaterTiming {
        /** Measured on the test clock, which only the test moves: exact, whatever the machine's speed. */
        static void assertDelayed(TrackedSession session) {
            var envelope = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof ShipLater).findFirst().orElseThrow();
            assertThat(Duration.between(envelope.sentAt(), envelope.scheduledAt())).isEqualTo(Duration.ofMillis(200));
            assertThat(shipLaterHandledAt).isEqualTo(envelope.scheduledAt());
        }
    }
}
