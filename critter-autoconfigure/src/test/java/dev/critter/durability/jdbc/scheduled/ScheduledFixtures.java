package dev.critter.durability.jdbc.scheduled;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.durability.CritterDurabilityAutoConfiguration;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Messages, handlers and applications of the durable scheduling tests (also run in a child JVM). */
public final class ScheduledFixtures {

    /** Every handling of a {@link Remind} in this JVM, by reminder id. */
    static final Map<String, List<Handling>> REMINDED = new ConcurrentHashMap<>();

    /**
     * Holds every {@link SlowHandler} until a test opens it, keeping the {@code slow} queue full for
     * as long as the test needs; open unless a test closes it.
     */
    static volatile CountDownLatch slowGate = new CountDownLatch(0);

    /** How many {@link SlowHandler} runs have started, in this JVM. */
    static final AtomicInteger SLOW_STARTED = new AtomicInteger();

    /** How long {@link TickHandler} takes per message, to keep a node busy when it is killed. */
    static volatile long tickMillis;

    private ScheduledFixtures() {
    }

    /**
     * Starts an application with durability on the database, with this package's handlers.
     * @param database the database
     * @param properties more properties, after the defaults so they win
     * @return the running application
     */
    public static ConfigurableApplicationContext start(TestDatabase database, String... properties) {
        List<String> all = new ArrayList<>(List.of(database.springProperties()));
        all.addAll(List.of("spring.main.banner-mode=off", "spring.application.name=reminders",
                "critter.handlers.base-packages=" + ScheduledFixtures.class.getPackageName(),
                "critter.shutdown-timeout=5s", "spring.datasource.hikari.maximum-pool-size=6"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    /** How many times each reminder was handled, in this JVM. */
    static int handled(String id) {
        List<Handling> handlings = REMINDED.get(id);
        return handlings == null ? 0 : handlings.size();
    }

    /**
     * One handling of a reminder.
     * @param node the node that handled it
     * @param due when it was due (its envelope's scheduled-at)
     * @param started when its handler started (this JVM's clock)
     */
    record Handling(UUID node, Instant due, Instant started) {
    }

    /** @param id the reminder's id */
    public record Remind(String id) {
    }

    /** @param id the slow message's id */
    public record Slow(String id) {
    }

    /** Waits at {@link #slowGate} before it counts the message in {@link #REMINDED} like reminders. */
    public static class SlowHandler {
        /**
         * @param slow the message
         * @param envelope its envelope
         * @param node the node handling it
         * @throws InterruptedException never in these tests
         */
        public void handle(Slow slow, Envelope envelope, DurabilityNode node) throws InterruptedException {
            Instant started = Instant.now();
            SLOW_STARTED.incrementAndGet();
            if (!slowGate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The test never opened the gate of " + slow.id());
            }
            REMINDED.computeIfAbsent(slow.id(), id -> new CopyOnWriteArrayList<>())
                    .add(new Handling(node.id(), envelope.scheduledAt(), started));
        }
    }

    /** @param id the tick's id */
    public record Tick(String id) {
    }

    /** Records each reminder with its node and times. */
    public static class RemindHandler {
        /**
         * @param remind the reminder
         * @param envelope its envelope
         * @param node the node handling it
         */
        public void handle(Remind remind, Envelope envelope, DurabilityNode node) {
            Instant started = Instant.now();
            REMINDED.computeIfAbsent(remind.id(), id -> new CopyOnWriteArrayList<>())
                    .add(new Handling(node.id(), envelope.scheduledAt(), started));
        }
    }

    /** Records each tick in table {@code tick_log}, in the handler's transaction: across processes. */
    public static class TickHandler {
        /**
         * @param tick the tick
         * @param jdbc joins the handler's transaction
         * @param node the node handling it
         * @throws InterruptedException never in these tests
         */
        public void handle(Tick tick, JdbcTemplate jdbc, DurabilityNode node) throws InterruptedException {
            if (tickMillis > 0) {
                Thread.sleep(tickMillis);
            }
            jdbc.update("INSERT INTO tick_log (id, node_id) VALUES (?, ?)", tick.id(), node.id());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, CritterDurabilityAutoConfiguration.class,
            CritterAutoConfiguration.class})
    static class App {
    }
}
