package dev.critter.tracking;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.Messages;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;
import dev.critter.testing.TrackedSession;
import dev.critter.testing.TrackingException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MessageTrackingTests {

    public record Ping(String id) { }
    public record Pong(String id) { }
    public record Remind(String id) { }
    public record Reminded(String id) { }
    public record Stuck(String id) { }
    public record Broken(String id) { }
    public record Later(String id) { }

    static volatile CountDownLatch stuck = new CountDownLatch(0);
    static final AtomicInteger pongs = new AtomicInteger();

    public static class TrackingHandler {
        public Pong handle(Ping ping) {
            return new Pong(ping.id());
        }

        public void handle(Pong pong) {
            pongs.incrementAndGet();
        }

        public Object handle(Remind remind) {
            return Messages.delayed(new Reminded(remind.id()), Duration.ofMillis(300));
        }

        public void handle(Reminded reminded) {
        }

        public void handle(Stuck message) throws InterruptedException {
            stuck.await(30, TimeUnit.SECONDS);
        }

        public void handle(Broken broken) {
            throw new IllegalStateException("broken " + broken.id());
        }

        public void handle(Later later) {
        }
    }

    @Test
    void aSessionWaitsForCascadesAndDelayedMessagesDueWithinItsTimeout() {
        CritterContexts.scanning(MessageTrackingTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Remind("r"));
            assertThat(session.executed().singleMessage(Reminded.class).id()).isEqualTo("r");
            assertThat(session.sent().messagesOf(Reminded.class)).hasSize(1);
        });
    }

    @Test
    void aMessageScheduledAfterTheTimeoutIsRecordedButNotWaitedFor() {
        CritterContexts.scanning(MessageTrackingTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            TrackedSession session = context.getBean(MessageTracking.class).withTimeout(Duration.ofSeconds(2))
                    .executeAndWait(() -> bus.schedule(new Later("l"), Duration.ofHours(1)));
            assertThat(session.sent().singleMessage(Later.class).id()).isEqualTo("l");
            assertThat(session.executed().isEmpty()).isTrue();
            assertThat(session.activityTable()).contains("not waited for");
        });
    }

    @Test
    void aTimeoutThrowsWithTheActivityTable() {
        stuck = new CountDownLatch(1);
        CritterContexts.scanning(MessageTrackingTests.class).run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class).withTimeout(Duration.ofMillis(500));
            assertThatThrownBy(() -> tracking.publishAndWait(new Stuck("s")))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("Timed out after PT0.5S")
                    .hasMessageContaining("message type")
                    .hasMessageContaining(Stuck.class.getName())
                    .hasMessageContaining("received")
                    .hasMessageContaining("local://stuck");
            stuck.countDown();
        });
    }

    @Test
    void aHandlerFailureWithoutLaterSuccessFailsTheSessionUnlessFailuresAreAllowed() {
        CritterContexts.scanning(MessageTrackingTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    assertThatThrownBy(() -> tracking.publishAndWait(new Broken("b")))
                            .isInstanceOf(TrackingException.class)
                            .hasMessageContaining("handler failure")
                            .hasMessageContaining("dead-lettered")
                            .hasRootCauseMessage("broken b");
                    TrackedSession allowed = tracking.allowingFailures().publishAndWait(new Broken("c"));
                    assertThat(allowed.deadLettered().singleMessage(Broken.class).id()).isEqualTo("c");
                    assertThat(allowed.failed().singleMessage(Broken.class).id()).isEqualTo("c");
                });
    }

    @Test
    void activityFromAnEarlierActionNeverLeaksIntoTheNextSession() {
        stuck = new CountDownLatch(1);
        TestClock clock = new TestClock();
        CritterContexts.scanning(MessageTrackingTests.class).withBean(TestClock.class, () -> clock).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            MessageTracking tracking = context.getBean(MessageTracking.class);
            // published outside any session, still in flight while the next session runs
            bus.publish(new Stuck("earlier"));
            bus.publish(new Ping("earlier"), DeliveryOptions.builder().delay(Duration.ofMillis(200)).build());

            TrackedSession session = tracking.executeAndWait(() -> {
                bus.publish(new Ping("mine"));
                clock.advance(Duration.ofMillis(200));   // the earlier delayed ping comes due during the session
                stuck.countDown();
            });

            assertThat(session.all().messagesOf(Stuck.class)).isEmpty();
            assertThat(session.executed().messagesOf(Ping.class)).containsExactly(new Ping("mine"));
            assertThat(session.executed().messagesOf(Pong.class)).containsExactly(new Pong("mine"));
            await().atMost(Duration.ofSeconds(30)).until(() -> pongs.get() >= 2);
        });
    }

    @Test
    void singleMessageExplainsAMissingMessageWithTheActivityTable() {
        CritterContexts.scanning(MessageTrackingTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Ping("p"));
            assertThatThrownBy(() -> session.executed().singleMessage(Reminded.class))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("Expected exactly one " + Reminded.class.getName() + " executed, found 0")
                    .hasMessageContaining(Pong.class.getName());
        });
    }
}
