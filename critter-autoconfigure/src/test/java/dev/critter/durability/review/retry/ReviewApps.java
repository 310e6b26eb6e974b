package dev.critter.durability.review.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.MessageContext;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Applications for the review of durability paths no other test walks: a durable local queue
 * {@code flaky} whose handler fails its first attempt (error policy: a scheduled retry), on a test
 * database.
 */
final class ReviewApps {

    private ReviewApps() {
    }

    static ConfigurableApplicationContext start(TestDatabase database, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "critter.handlers.base-packages=" + ReviewApps.class.getPackageName(),
                "critter.local.queues.flaky.durable=true",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=2s", "spring.datasource.hikari.maximum-pool-size=8",
                "spring.main.banner-mode=off", "spring.application.name=review", "critter.shutdown-timeout=5s"));
        all.addAll(List.of(database.springProperties()));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    @JdbcTestApplication
    static class App {

        /** A failed first attempt is delivered again shortly (or after {@code review.retry-delay}), through the scheduler. */
        @Bean
        CritterConfigurer retryFlaky(
                @org.springframework.beans.factory.annotation.Value("${review.retry-delay:100ms}") java.time.Duration delay) {
            return o -> o.forMessage(Flaky.class).onException(FirstAttemptFails.class).scheduleRetry(delay);
        }
    }

    /** Handled by {@link FlakyHandler} on the durable queue {@code flaky}: its first attempt fails. */
    public record Flaky(String id) {
    }

    static final class FirstAttemptFails extends RuntimeException {
        FirstAttemptFails(String message) {
            super(message);
        }
    }

    /** What the handler saw, and the gate its first attempts wait at. */
    static final class Seen {
        static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        static volatile CountDownLatch firstAttemptStarted = new CountDownLatch(1);
        static volatile CountDownLatch gate = new CountDownLatch(0);

        static int attempts(String id) {
            AtomicInteger n = attempts.get(id);
            return n == null ? 0 : n.get();
        }

        static int handled(String id) {
            AtomicInteger n = handled.get(id);
            return n == null ? 0 : n.get();
        }

        static void reset() {
            attempts.clear();
            handled.clear();
            gate.countDown();
            gate = new CountDownLatch(0);
            firstAttemptStarted = new CountDownLatch(1);
        }
    }

    public static class FlakyHandler {
        public void handle(Flaky flaky, MessageContext context) throws InterruptedException {
            int attempt = Seen.attempts.computeIfAbsent(flaky.id(), k -> new AtomicInteger()).incrementAndGet();
            if (attempt == 1) {
                Seen.firstAttemptStarted.countDown();
                if (!Seen.gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
                throw new FirstAttemptFails("first attempt of " + flaky.id() + " fails");
            }
            Seen.handled.computeIfAbsent(flaky.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }
}
