package dev.critter.benchmarks.outbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.critter.IMessageBus;
import dev.critter.benchmarks.noop.HandledCount;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.transport.Outbox;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Critter as an application has it: one Hikari DataSource and a {@link JdbcTransactionManager} on it,
 * durability on (schema {@code critter_bench}), {@code bus.publish} inside a
 * {@link TransactionTemplate}, the no-op {@link OutboxPingHandler} on its default local queue.
 */
final class CritterOutbox implements OutboxSubject {

    static final String SCHEMA = "critter_bench";

    private final ConfigurableApplicationContext context;
    private final IMessageBus bus;
    private final HandledCount handled;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final JdbcOutbox outbox;

    private CritterOutbox(ConfigurableApplicationContext context) {
        this.context = context;
        this.bus = context.getBean(IMessageBus.class);
        this.handled = context.getBean(HandledCount.class);
        this.transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        this.jdbc = JdbcClient.create(context.getBean(DataSource.class));
        if (!(context.getBeanProvider(Outbox.class).getIfUnique() instanceof JdbcOutbox jdbcOutbox)) {
            throw new IllegalStateException("Critter's JDBC outbox is not configured: durability is off");
        }
        this.outbox = jdbcOutbox;
        jdbc.sql("DELETE FROM " + SCHEMA + ".critter_outgoing_envelopes").update();
    }

    static CritterOutbox start(String url, int publishers) {
        // The benchmark's own pool, as the application's one DataSource: Boot's JDBC auto-configuration
        // is not on this module's class path (it would fail the other benchmarks' contexts).
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(publishers + 4);
        Pool.dataSource = dataSource;
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("critter.durability.schema", SCHEMA);
        properties.put("critter.handlers.base-packages", OutboxPing.class.getPackageName());
        properties.put("logging.level.root", "WARN");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties(properties).run();
        return new CritterOutbox(context);
    }

    @Override
    public String name() {
        return "critter";
    }

    @Override
    public void expect(int messages) {
        handled.expect(messages);
    }

    @Override
    public void publishInTransaction(int first, int count) {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < count; i++) {
                bus.publish(new OutboxPing(first + i));
            }
        });
    }

    @Override
    public void awaitHandledAndEmpty(Duration timeout) throws InterruptedException {
        handled.await(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        // In flight until their delete committed: zero means every row of the round is gone.
        while (outbox.inFlight() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Critter's outbox still deletes rows after " + timeout);
            }
            Thread.sleep(2);
        }
    }

    /** @return the rows left in Critter's outbox (a query), to check the run left none */
    long rows() {
        return jdbc.sql("SELECT count(*) FROM " + SCHEMA + ".critter_outgoing_envelopes").query(Long.class).single();
    }

    @Override
    public void close() {
        context.close();
    }

    /** The benchmark application: auto-configuration only, no component scan. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BenchmarkApplication {

        @Bean
        HandledCount handledCount() {
            return new HandledCount();
        }

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            return Pool.dataSource;
        }

        @Bean
        JdbcTransactionManager transactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }

    /** Hands the pool made before the context to it. */
    private static final class Pool {
        static volatile HikariDataSource dataSource;

        private Pool() {
        }
    }
}
