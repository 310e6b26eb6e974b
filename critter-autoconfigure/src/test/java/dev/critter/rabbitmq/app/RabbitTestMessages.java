package dev.critter.rabbitmq.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Messages, handlers and the recorder the Rabbit integration tests use. */
public final class RabbitTestMessages {

    private RabbitTestMessages() {
    }

    /** A message with two handlers. */
    public record Ping(String id) {
    }

    /** A message whose handler blocks until the test opens the gate. */
    public record SlowWork(int n) {
    }

    /** A message whose handler waits for the recorder's gate, then records its id. */
    public record Gated(String id) {
    }

    /** A message whose handler always fails, so it exhausts its error policy. */
    public record Doomed(String id) {
    }

    /** Always throws. */
    public static class DoomedHandler {
        public void handle(Doomed doomed) {
            throw new IllegalStateException("Doomed " + doomed.id() + " always fails");
        }
    }

    /** A request answered by {@link QuestionHandler} with an {@link Answer}. */
    public record Question(String text) {
    }

    /** The reply to a {@link Question}. */
    public record Answer(String text, String answeredBy) {
    }

    /** Answers questions, naming the application (its recorder's name) that answered. */
    public static class QuestionHandler {
        public Answer handle(Question question, Recorder recorder) {
            return new Answer(question.text().toUpperCase(java.util.Locale.ROOT), recorder.name);
        }
    }

    /** What the handlers saw. */
    public static final class Recorder {
        public volatile String name = "recorder";
        public final List<String> pings = new CopyOnWriteArrayList<>();
        public final List<String> audited = new CopyOnWriteArrayList<>();
        public final AtomicInteger running = new AtomicInteger();
        public final AtomicInteger maxRunning = new AtomicInteger();
        public final AtomicInteger slowDone = new AtomicInteger();
        public final CountDownLatch gate = new CountDownLatch(1);
        public final List<String> gated = new CopyOnWriteArrayList<>();
    }

    /** The first handler of {@link Ping}. */
    public static class PingHandler {
        public void handle(Ping ping, Recorder recorder) {
            recorder.pings.add(ping.id());
        }
    }

    /** The second handler of {@link Ping}. */
    public static class PingAuditConsumer {
        public void consume(Ping ping, Recorder recorder) {
            recorder.audited.add(ping.id());
        }
    }

    /** Waits for the gate (counting how many wait), then records the id. */
    public static class GatedHandler {
        public void handle(Gated message, Recorder recorder) throws InterruptedException {
            recorder.running.incrementAndGet();
            try {
                recorder.gate.await();
            } finally {
                recorder.running.decrementAndGet();
            }
            recorder.gated.add(message.id());
        }
    }

    /** Records how many run at once, and waits for the gate. */
    public static class SlowWorkHandler {
        public void handle(SlowWork work, Recorder recorder) throws InterruptedException {
            int now = recorder.running.incrementAndGet();
            recorder.maxRunning.accumulateAndGet(now, Math::max);
            try {
                recorder.gate.await();
            } finally {
                recorder.running.decrementAndGet();
                recorder.slowDone.incrementAndGet();
            }
        }
    }
}
