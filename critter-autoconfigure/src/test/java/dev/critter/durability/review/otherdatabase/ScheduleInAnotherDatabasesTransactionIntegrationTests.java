package dev.critter.durability.review.otherdatabase;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.critter.IMessageBus;
import dev.critter.support.JdbcTestApplication;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message scheduled inside a transaction of another database's transaction manager: the durable
 * scheduler cannot write in that transaction, so the message is held until the commit. Finding
 * that out must not take a connection from Critter's pool and keep it bound to the caller's
 * thread until that transaction ends: with many such transactions at once the pool runs dry, and
 * Critter's background work (the heartbeat among it) waits for connections.
 */
class ScheduleInAnotherDatabasesTransactionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestDatabase critterDatabase;
    private static TestDatabase otherDatabase;

    public record Later(String id) { }

    static final java.util.Set<String> HANDLED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static class LaterHandler {
        public void handle(Later later) {
            HANDLED.add(later.id());
        }
    }

    @Test
    void askingWhetherTheSchedulerCanWriteInTheTransactionHoldsNoConnectionOfCrittersPool() {
        critterDatabase = TestPostgres.newDatabase(ScheduleInAnotherDatabasesTransactionIntegrationTests.class);
        otherDatabase = TestPostgres.newDatabase(ScheduleInAnotherDatabasesTransactionIntegrationTests.class);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TwoDatabases.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off",
                        "critter.handlers.base-packages=" + getClass().getPackageName(),
                        "critter.durability.poll-interval=200ms", "critter.shutdown-timeout=5s").run()) {
            IMessageBus bus = app.getBean(IMessageBus.class);
            HikariDataSource critter = app.getBean("critterDataSource", HikariDataSource.class);
            TransactionTemplate other = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
            boolean[] bound = {true};

            other.executeWithoutResult(status -> {
                JdbcClient.create(app.getBean("otherDataSource", DataSource.class)).sql("SELECT 1").query(Integer.class).single();
                bus.schedule(new Later("l-1"), Duration.ofMillis(200));
                bound[0] = TransactionSynchronizationManager.hasResource(critter);
            });

            assertThat(bound[0]).as("a connection of Critter's pool bound to the publishing thread for the rest of "
                    + "another database's transaction").isFalse();
            await().atMost(WAIT).until(() -> HANDLED.contains("l-1"));
        }
    }

    /** Critter's database (primary, its own pool) and another one, whose transaction manager is the application's only one. */
    @JdbcTestApplication
    static class TwoDatabases {

        @Bean
        @Primary
        HikariDataSource critterDataSource() {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(critterDatabase.url());
            pool.setUsername(critterDatabase.username());
            pool.setPassword(critterDatabase.password());
            pool.setMaximumPoolSize(4);
            return pool;
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
