package dev.critter.time.sentat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;
import dev.critter.testing.TestClock;
import dev.critter.time.TimeSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sent-at of queued messages on the system clock: a busy publisher gets it from the
 * {@code critter-clock} thread, within a small lag of the clock; closing the context ends that thread.
 */
class CoarseSentAtTests {

    private static final String THREAD_NAME = "critter-clock";

    /** How far behind the clock a sent-at may be: generous, the machine may be loaded. */
    private static final Duration LAG = Duration.ofSeconds(5);

    public record Ping(int number) { }

    static final Map<Integer, Instant> sentAt = new ConcurrentHashMap<>();

    public static class PingHandler {
        public void handle(Ping ping, Envelope envelope) {
            sentAt.put(ping.number(), envelope.sentAt());
        }
    }

    @BeforeEach
    void reset() {
        sentAt.clear();
    }

    @Test
    void aBusyPublisherStartsTheClockThreadAndGetsARecentSentAtAndStoppingOrClosingEndsTheThread() {
        Set<Thread> before = clockThreads();
        Map<Integer, Instant[]> published = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        CritterContexts.scanning(CoarseSentAtTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Set<Thread> started = Set.of();
            int number = 0;
            // Publishes until the thread runs and a thousand more messages went out with it.
            for (int more = 1_000; more > 0; ) {
                assertThat(System.nanoTime()).as("the clock thread starts in time").isLessThan(deadline);
                Instant readBefore = Instant.now();
                bus.publish(new Ping(number));
                published.put(number++, new Instant[] {readBefore, Instant.now()});
                if (started.isEmpty()) {
                    // Not at every publish: listing the threads is slow, and publishes must come fast.
                    if (number % 256 == 0) {
                        started = newClockThreads(before);
                    }
                } else {
                    more--;
                }
            }
            int count = number;
            await().atMost(Duration.ofSeconds(60)).until(() -> sentAt.size() == count);
            published.forEach((n, bounds) -> assertThat(sentAt.get(n)).as("sent-at of %d", n)
                    .isBetween(bounds[0].minus(LAG), bounds[1]));
            // Read from the clock, a thousand publishes would have about as many sent-at times (it
            // counts in micro- or nanoseconds); from the cache, one a millisecond.
            long distinct = sentAt.entrySet().stream().filter(entry -> entry.getKey() >= count - 1_000)
                    .map(Map.Entry::getValue).distinct().count();
            assertThat(distinct).isLessThan(500);

            // Someone reading fast keeps the thread going (idle, it would end after its idle ticks
            // anyway): stopping Critter ends it at once all the same.
            ConfigurableApplicationContext app = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            TimeSource time = context.getBean(TimeSource.class);
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    time.coarseNow();
                }
            }, "busy-reader");
            reader.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !newClockThreads(before).isEmpty());
                Set<Thread> running = newClockThreads(before);
                app.stop();
                assertThat(running).allSatisfy(thread -> assertThat(thread.isAlive()).isFalse());

                // Still reading fast, the reader starts it again; only closing the context ends it then, for good.
                await().atMost(Duration.ofSeconds(60)).until(() -> !newClockThreads(before).isEmpty());
                Set<Thread> restarted = newClockThreads(before);
                app.close();
                assertThat(restarted).allSatisfy(thread -> assertThat(thread.isAlive()).isFalse());
                assertThat(newClockThreads(before)).isEmpty();
            } finally {
                reading.set(false);
                reader.join(TimeUnit.SECONDS.toMillis(30));
            }
        });
    }

    @Test
    void withAClockBeanSentAtIsTheClocksExactlyAndNoClockThreadStarts() {
        Set<Thread> before = clockThreads();
        TestClock clock = new TestClock();
        CritterContexts.scanning(CoarseSentAtTests.class).withBean(TestClock.class, () -> clock).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            Map<Integer, Instant> expected = new ConcurrentHashMap<>();
            for (int i = 0; i < 2_000; i++) {
                clock.advance(Duration.ofNanos(1_000));
                expected.put(i, clock.instant());
                bus.publish(new Ping(i), DeliveryOptions.none());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sentAt.size() == expected.size());
            assertThat(sentAt).isEqualTo(expected);
            assertThat(newClockThreads(before)).isEmpty();
            assertThat(context.getBean(TimeSource.class).clock()).isNotEqualTo(Clock.systemUTC());
        });
    }

    private static Set<Thread> newClockThreads(Set<Thread> before) {
        Set<Thread> now = clockThreads();
        now.removeAll(before);
        return now;
    }

    private static Set<Thread> clockThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(THREAD_NAME) && thread.isAlive())
                .collect(Collectors.toSet());
    }
}
