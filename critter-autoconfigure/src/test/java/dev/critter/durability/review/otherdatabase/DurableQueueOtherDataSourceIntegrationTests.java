package dev.critter.durability.review.otherdatabase;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static dev.critter.support.DurableRows.Table.INCOMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A message for a durable local queue published in a transaction on another database than
 * Critter's: the inbox cannot write in that transaction. Written on a connection of its own, the
 * row commits at once and survives the transaction's failed commit: a message its publisher
 * rolled back would be handled (after the row's owner stops, or at once by another node).
 */
class DurableQueueOtherDataSourceIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private static TestDatabase critterDatabase;
    private static TestDatabase otherDatabase;

    public record Parcel(String id) { }

    @Test
    void aFailedCommitOnAnotherDatabaseStoresNothingInTheInbox() {
        critterDatabase = TestPostgres.newDatabase(DurableQueueOtherDataSourceIntegrationTests.class);
        otherDatabase = TestPostgres.newDatabase(DurableQueueOtherDataSourceIntegrationTests.class);
        DurableRows critter = new DurableRows(critterDatabase.dataSource());
        JdbcClient otherJdbc = JdbcClient.create(otherDatabase.dataSource());
        otherJdbc.sql("CREATE TABLE seat (id integer, CONSTRAINT one_per_seat UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)")
                .update();
        try (ConfigurableApplicationContext app = start()) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            TransactionTemplate other = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));

            // Its commit fails on the deferred constraint, after Critter's beforeCommit ran.
            assertThatThrownBy(() -> other.executeWithoutResult(status -> {
                JdbcClient.create(app.getBean("otherDataSource", DataSource.class))
                        .sql("INSERT INTO seat (id) VALUES (1), (1)").update();
                bus.publish(new Parcel("commit-failed"));
            })).hasMessageContaining("one_per_seat");

            other.executeWithoutResult(status -> bus.publish(new Parcel("committed")));
            await().atMost(WAIT).until(() -> times("committed") == 1 && critter.jdbc()
                    .sql("SELECT count(*) FROM critter.critter_handled_messages").query(Long.class).single() > 0);
            assertThat(critter.count(INCOMING)).as("no inbox row left by the transaction whose commit failed").isZero();
        }
        try (ConfigurableApplicationContext restarted = start()) {
            restarted.getBean(IMessageBus.class).publish(new Parcel("after-restart"));
            await().atMost(WAIT).until(() -> times("after-restart") == 1);
            assertThat(times("commit-failed")).as("a message whose transaction failed to commit is never handled")
                    .isZero();
        }
    }

    /**
     * A transactional handler whose transaction runs on the other database: its handled mark cannot
     * be written in that transaction. Written on a connection of its own, the mark commits even
     * though the handler's attempt rolls back, and the retry is then skipped as "already handled".
     */
    @Test
    void aTransactionalHandlerOnAnotherDatabaseWhoseFirstAttemptRollsBackIsRetried() {
        critterDatabase = TestPostgres.newDatabase(DurableQueueOtherDataSourceIntegrationTests.class);
        otherDatabase = TestPostgres.newDatabase(DurableQueueOtherDataSourceIntegrationTests.class);
        DurableRows critter = new DurableRows(critterDatabase.dataSource());
        JdbcClient otherJdbc = JdbcClient.create(otherDatabase.dataSource());
        otherJdbc.sql("CREATE TABLE charge (id text, attempt int)").update();
        try (ConfigurableApplicationContext app = start()) {
            app.getBean(IMessageBus.class).publish(new Charge("c-1"));

            await().atMost(WAIT).until(() -> ATTEMPTS.getOrDefault("c-1", new AtomicInteger()).get() >= 2
                    || critter.count(DEAD_LETTERS) != 0 || critter.count(INCOMING) == 0);
            await().atMost(WAIT).until(() -> otherJdbc.sql("SELECT count(*) FROM charge").query(Long.class).single() > 0
                    || critter.count(INCOMING) == 0);
            assertThat(otherJdbc.sql("SELECT count(*) FROM charge").query(Long.class).single())
                    .as("the charge committed by the second attempt (the first rolled back)").isEqualTo(1);
        }
    }

    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    public record Charge(String id) { }

    public static class ChargeHandler {

        @org.springframework.transaction.annotation.Transactional
        public void handle(Charge charge, @Qualifier("otherDataSource") DataSource other) {
            int attempt = ATTEMPTS.computeIfAbsent(charge.id(), k -> new AtomicInteger()).incrementAndGet();
            JdbcClient.create(other).sql("INSERT INTO charge (id, attempt) VALUES (?, ?)").params(charge.id(), attempt)
                    .update();
            if (attempt == 1) {
                throw new IllegalStateException("first attempt of " + charge.id() + " fails");
            }
        }
    }

    private static ConfigurableApplicationContext start() {
        return DurableApps.start(critterDatabase, new Class<?>[] {TwoDatabases.class},
                "critter.handlers.base-packages=" + DurableQueueOtherDataSourceIntegrationTests.class.getPackageName(),
                "critter.durability.poll-interval=200ms");
    }

    private static int times(String id) {
        AtomicInteger count = HANDLED.get(id);
        return count == null ? 0 : count.get();
    }

    public static class ParcelHandler {

        public void handle(Parcel parcel) {
            HANDLED.computeIfAbsent(parcel.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Critter's database (primary) and another one, whose transaction manager is the application's only one. */
    @Configuration(proxyBeanMethods = false)
    static class TwoDatabases {

        @Bean
        @Primary
        DataSource critterDataSource() {
            return critterDatabase.dataSource();
        }

        @Bean
        DataSource otherDataSource() {
            return otherDatabase.dataSource();
        }

        @Bean
        JdbcTransactionManager otherTransactionManager(@Qualifier("otherDataSource") DataSource otherDataSource) {
            return new JdbcTransactionManager(otherDataSource);
        }

        /** Every local queue is durable. */
        @Bean
        CritterConfigurer durableQueues() {
            return o -> o.policies().useDurableLocalQueues();
        }
    }
}
