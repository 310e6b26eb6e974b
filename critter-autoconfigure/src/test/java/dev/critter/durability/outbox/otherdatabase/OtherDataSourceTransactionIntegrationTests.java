package dev.critter.durability.outbox.otherdatabase;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.OutboxRows;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A transaction on another database than Critter's cannot carry outbox rows: its messages wait
 * in memory for its commit, as without durability, and a commit that fails publishes nothing.
 * Written to Critter's database on a connection of their own, the rows would commit at once and
 * survive the failed commit.
 */
class OtherDataSourceTransactionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private static TestDatabase critterDatabase;
    private static TestDatabase otherDatabase;

    public record Note(String id) { }

    @Test
    void messagesOfATransactionOnAnotherDatabaseAreHeldInMemoryAndAFailedCommitPublishesNothing() {
        critterDatabase = TestPostgres.newDatabase(OtherDataSourceTransactionIntegrationTests.class);
        otherDatabase = TestPostgres.newDatabase(OtherDataSourceTransactionIntegrationTests.class);
        try (ConfigurableApplicationContext app = DurableApps.start(critterDatabase, new Class<?>[] {TwoDatabases.class},
                "critter.handlers.base-packages=" + OtherDataSourceTransactionIntegrationTests.class.getPackageName())) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            OutboxRows outbox = new OutboxRows(app.getBean(DataSource.class));
            TransactionTemplate other = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));

            JdbcClient otherJdbc = JdbcClient.create(otherDatabase.dataSource());
            otherJdbc.sql("CREATE TABLE seat (id integer, CONSTRAINT one_per_seat UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)")
                    .update();

            other.executeWithoutResult(status -> bus.publish(new Note("other-first")));
            // Its commit fails on the deferred constraint, after Critter's beforeCommit ran.
            assertThatThrownBy(() -> other.executeWithoutResult(status -> {
                JdbcClient inTransaction = JdbcClient.create(app.getBean("otherDataSource", DataSource.class));
                inTransaction.sql("INSERT INTO seat (id) VALUES (1), (1)").update();
                bus.publish(new Note("commit-failed"));
            })).hasMessageContaining("one_per_seat");
            assertThat(otherJdbc.sql("SELECT count(*) FROM seat").query(Long.class).single())
                    .as("the seats went with the failed commit").isZero();
            assertThat(outbox.count())
                    .as("no outbox row, not even one committed on a connection of its own").isZero();

            other.executeWithoutResult(status -> bus.publish(new Note("other-committed")));
            await().atMost(WAIT).until(() -> times("other-committed") == 1 && times("other-first") == 1);
            assertThat(times("commit-failed")).isZero();
        }
    }

    private static int times(String id) {
        AtomicInteger count = HANDLED.get(id);
        return count == null ? 0 : count.get();
    }

    public static class NoteHandler {

        public void handle(Note note) {
            HANDLED.computeIfAbsent(note.id(), k -> new AtomicInteger()).incrementAndGet();
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
    }
}
