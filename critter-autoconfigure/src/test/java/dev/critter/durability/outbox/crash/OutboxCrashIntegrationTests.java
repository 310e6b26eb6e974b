package dev.critter.durability.outbox.crash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.critter.support.DurableApps;
import dev.critter.support.OutboxRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kill between commit and dispatch: a child JVM ({@link OutboxCrashApp}) commits transactions
 * whose messages are in the outbox but not yet sent, and is killed with SIGKILL; a fresh process
 * on the same database sends them all, each handled once.
 */
class OutboxCrashIntegrationTests {

    static final String[] PROPERTIES = {
            "critter.handlers.base-packages=" + OutboxCrashIntegrationTests.class.getPackageName(),
            "critter.durability.poll-interval=200ms",
            "critter.durability.node-heartbeat=500ms",
            "critter.durability.node-lease=2s",
            "spring.datasource.hikari.maximum-pool-size=16"};

    private static final int THREADS = 8;
    private static final int PER_TRANSACTION = 250;
    private static final int HANDLED_BEFORE = 10;

    @Test
    void messagesCommittedButNotSentWhenTheProcessWasKilledAreAllSentByAFreshProcess() throws Exception {
        TestDatabase database = TestPostgres.newDatabase(OutboxCrashIntegrationTests.class);
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        jdbc.sql("CREATE TABLE crash_handled (n integer NOT NULL, pid bigint NOT NULL)").update();

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OutboxCrashApp.class.getName(),
                database.url(), database.username(), database.password(), String.valueOf(THREADS),
                String.valueOf(PER_TRANSACTION), String.valueOf(HANDLED_BEFORE))
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> committed = CompletableFuture.supplyAsync(() -> readUntilCommitted(child, output));
        try {
            assertThat(committed.get(120, TimeUnit.SECONDS)).as("the child committed; its output: %s", output).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop, nothing released
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        int before = HANDLED_BEFORE * PER_TRANSACTION;
        int total = before + THREADS * PER_TRANSACTION;
        assertThat(count(jdbc, "SELECT count(*) FROM crash_handled")).as("handled before the kill").isEqualTo(before);
        assertThat(new OutboxRows(jdbc).count()).as("committed in the outbox, never sent")
                .isEqualTo(THREADS * PER_TRANSACTION);

        try (ConfigurableApplicationContext fresh = DurableApps.start(database, new Class<?>[] {CrashTransactions.class}, PROPERTIES)) {
            JdbcClient freshJdbc = JdbcClient.create(fresh.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    count(freshJdbc, "SELECT count(DISTINCT n) FROM crash_handled") == total
                            && new OutboxRows(freshJdbc).count() == 0);
            assertThat(count(freshJdbc, "SELECT count(*) FROM crash_handled")).as("each message handled once")
                    .isEqualTo(total);
            assertThat(count(freshJdbc, "SELECT count(*) FROM crash_handled WHERE n >= " + before + " AND pid = "
                    + ProcessHandle.current().pid())).as("the committed, unsent ones, by the fresh process")
                    .isEqualTo(THREADS * PER_TRANSACTION);
        }
    }

    private static boolean readUntilCommitted(Process child, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith(OutboxCrashApp.ALL_COMMITTED)) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException ex) {
            return false;
        }
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
