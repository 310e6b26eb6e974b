package dev.critter.durability.jdbc.inbox.crash;

import java.util.ArrayList;
import java.util.List;

import dev.critter.IMessageBus;
import dev.critter.durability.DurabilityNode;
import dev.critter.support.DatabaseGate;
import dev.critter.support.JdbcTestApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application of the crash tests, run in a child JVM that the test kills with SIGKILL (and in
 * the test's own JVM to finish what the killed one left). {@code main(url, user, password, mode,
 * count)}: mode {@code publish} publishes {@code count} {@link LedgerEntry}s, ten per committed
 * transaction, each transaction also recording their keys in {@code crash_published}.
 */
public final class CrashApp {

    /** Created by the test before the child starts. */
    public static final String TABLES = """
            CREATE TABLE IF NOT EXISTS crash_published (entry text PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS crash_effects (entry text NOT NULL, tx bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS moves_published (product text NOT NULL, seq int NOT NULL);
            CREATE TABLE IF NOT EXISTS moves_handled (id bigserial PRIMARY KEY, product text NOT NULL, seq int NOT NULL,
                                                      node text NOT NULL);
            CREATE TABLE IF NOT EXISTS moves_gate (hold boolean NOT NULL);
            CREATE TABLE IF NOT EXISTS crash_gate (hold_after int NOT NULL);
            """;

    /** The advisory-lock keys of the gates the test holds (see {@link DatabaseGate}). */
    public static final long MOVES_GATE = 7_001;
    public static final long LEDGER_GATE = 7_002;

    private CrashApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext app = start(args[0], args[1], args[2]);
        if ("publish".equals(args[3])) {
            publish(app, Integer.parseInt(args[4]));
        } else if ("publish-moves".equals(args[3])) {
            publishMoves(app, Integer.parseInt(args[4]));
        }
        // Stays up, handling, until the test kills it (queue workers are daemon threads).
        Thread.currentThread().join();
    }

    /** Starts the application on a database: a durable queue {@code ledger-entry}, short leases. */
    public static ConfigurableApplicationContext start(String url, String user, String password) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(
                "spring.main.banner-mode=off", "spring.application.name=crash",
                "spring.datasource.url=" + url, "spring.datasource.username=" + user,
                "spring.datasource.password=" + password, "spring.datasource.hikari.maximum-pool-size=10",
                "critter.handlers.base-packages=" + CrashApp.class.getPackageName(),
                "critter.local.queues.ledger-entry.durable=true", "critter.local.queues.ledger-entry.parallelism=4",
                "critter.local.queues.stock-move.durable=true", "critter.local.queues.stock-move.parallelism=4",
                "critter.local.queues.stock-move.partition-by=product",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=2s", "critter.shutdown-timeout=5s").run();
    }

    private static void publish(ConfigurableApplicationContext app, int count) {
        IMessageBus bus = app.getBean(IMessageBus.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        TransactionTemplate transaction = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        for (int from = 0; from < count; from += 10) {
            int first = from;
            transaction.executeWithoutResult(status -> {
                List<Object[]> keys = new ArrayList<>();
                for (int i = first; i < first + 10; i++) {
                    String entry = "entry-" + i;
                    keys.add(new Object[] {entry});
                    bus.publish(new LedgerEntry(entry));
                }
                jdbc.batchUpdate("INSERT INTO crash_published (entry) VALUES (?)", keys);
            });
        }
        System.out.println("published " + count);
    }

    /** Publishes {@code perProduct} moves of each of 8 products, in order, ten per committed transaction. */
    private static void publishMoves(ConfigurableApplicationContext app, int perProduct) {
        IMessageBus bus = app.getBean(IMessageBus.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        TransactionTemplate transaction = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        List<StockMove> all = new ArrayList<>();
        for (int seq = 0; seq < perProduct; seq++) {
            for (int p = 0; p < 8; p++) {
                all.add(new StockMove("product-" + p, seq));
            }
        }
        for (int from = 0; from < all.size(); from += 10) {
            List<StockMove> batch = all.subList(from, Math.min(all.size(), from + 10));
            transaction.executeWithoutResult(status -> {
                List<Object[]> rows = new ArrayList<>();
                for (StockMove move : batch) {
                    bus.publish(move);
                    rows.add(new Object[] {move.product(), move.seq()});
                }
                jdbc.batchUpdate("INSERT INTO moves_published (product, seq) VALUES (?, ?)", rows);
            });
        }
        System.out.println("published moves " + all.size());
    }

    /** One move of one product's stock; moves of a product must be handled in publish order. */
    public record StockMove(String product, int seq) { }

    /** Records the moves in the order they are handled, in its transaction. */
    public static class StockMoveHandler {
        public void handle(StockMove move, JdbcTemplate jdbc, DurabilityNode node) throws InterruptedException {
            jdbc.update("INSERT INTO moves_handled (product, seq, node) VALUES (?, ?, ?)", move.product(), move.seq(),
                    node.id().toString());
            // The test holds the handlers while it starts a second node, so the first is killed mid-flight.
            DatabaseGate.passWhen(jdbc, MOVES_GATE, "EXISTS (SELECT 1 FROM moves_gate WHERE hold)");
        }
    }

    /** One ledger entry to book. */
    public record LedgerEntry(String entry) { }

    /** Books an entry in its own transaction, with Critter's handled mark. */
    public static class LedgerEntryHandler {
        public void handle(LedgerEntry entry, JdbcTemplate jdbc) throws InterruptedException {
            jdbc.update("INSERT INTO crash_effects (entry, tx) VALUES (?, txid_current())", entry.entry());
            // The test holds the handlers before it kills the process, so messages are in flight then;
            // they also stop by themselves after crash_gate's count, so that however fast they run on
            // a loaded machine, messages still wait when the process is killed.
            DatabaseGate.passWhen(jdbc, LEDGER_GATE, "EXISTS (SELECT 1 FROM moves_gate WHERE hold) OR EXISTS "
                    + "(SELECT 1 FROM crash_gate WHERE (SELECT count(*) FROM crash_effects) >= hold_after)");
        }
    }

    @JdbcTestApplication
    static class App {
    }
}
