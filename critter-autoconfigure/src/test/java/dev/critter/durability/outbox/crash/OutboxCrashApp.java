package dev.critter.durability.outbox.crash;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.OutboxRows;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application {@link OutboxCrashIntegrationTests} runs in a child JVM and kills: it first
 * commits transactions whose messages are handled as usual (and waits until they are), then
 * commits one transaction per thread whose after-commit callback never returns, so their messages
 * are committed in the outbox and never sent, prints {@value #ALL_COMMITTED}, and waits for SIGKILL.
 * Arguments: database URL, user, password, threads, messages per transaction, transactions handled before.
 */
public final class OutboxCrashApp {

    static final String ALL_COMMITTED = "ALL-COMMITTED";

    private OutboxCrashApp() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase database = new TestDatabase(args[0], args[1], args[2]);
        int threads = Integer.parseInt(args[3]);
        int perTransaction = Integer.parseInt(args[4]);
        int handledBefore = Integer.parseInt(args[5]);
        ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {CrashTransactions.class},
                OutboxCrashIntegrationTests.PROPERTIES);
        IMessageBus bus = app.getBean(IMessageBus.class);
        DataSource dataSource = app.getBean(DataSource.class);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        OutboxRows outbox = new OutboxRows(jdbc);
        TransactionTemplate transactions = new TransactionTemplate(app.getBean(JdbcTransactionManager.class));

        for (int t = 0; t < handledBefore; t++) {
            int first = t * perTransaction;
            transactions.executeWithoutResult(status -> {
                for (int k = 0; k < perTransaction; k++) {
                    bus.publish(new CrashPing(first + k));
                }
            });
        }
        int expected = handledBefore * perTransaction;
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> handled(jdbc) >= expected && outbox.count() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException timeout) {
            System.out.println("TIMEOUT handled " + handled(jdbc) + " of " + expected + ", outbox " + outbox.count());
            System.exit(3);
        }
        System.out.println("HANDLED-BEFORE " + expected);

        CountDownLatch committed = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            int first = expected + i * perTransaction;
            Thread thread = new Thread(() -> transactions.executeWithoutResult(status -> {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        // Committed, and Critter sends after this returns: it never does.
                        committed.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                for (int k = 0; k < perTransaction; k++) {
                    bus.publish(new CrashPing(first + k));
                }
            }), "committer-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        committed.await();
        System.out.println(ALL_COMMITTED + " outbox rows " + outbox.count());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static long handled(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM crash_handled").query(Long.class).single();
    }
}
