package dev.critter.transaction.handlers.startup;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterDiagnostics;
import dev.critter.support.CritterContexts;
import dev.critter.transaction.handlers.startup.app.LedgerHandler;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import static dev.critter.support.StartupFailures.configurationFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** A handler that must run in a transaction fails start-up, saying what to add, when it cannot get one. */
class TransactionalHandlerStartupTests {

    /** A data source that is never connected to: start-up only looks at it. */
    private static final DataSource DATA_SOURCE = new SimpleDriverDataSource();

    private static ApplicationContextRunner scanning() {
        return CritterContexts.scanning(LedgerHandler.class).withBean(DataSource.class, () -> DATA_SOURCE);
    }

    @Test
    void withoutATransactionManagerStartUpFailsSayingWhatToAdd() {
        scanning().run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).isEqualTo("LedgerHandler.handle(Post, DataSource) must run in a "
                    + "transaction (parameter 2 is a DataSource), but the application has no PlatformTransactionManager");
            assertThat(failure.fix()).startsWith("Add spring-boot-starter-jdbc (it configures a transaction manager "
                    + "for the DataSource) or spring-boot-starter-data-jpa, or declare a PlatformTransactionManager bean");
        });
    }

    @Test
    void withoutSpringTxStartUpFailsSayingWhatToAdd() {
        scanning().withClassLoader(new FilteredClassLoader("org.springframework.transaction")).run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).isEqualTo("LedgerHandler.handle(Post, DataSource) must run in a "
                    + "transaction (parameter 2 is a DataSource), but spring-tx is not on the class path");
            assertThat(failure.fix()).startsWith("Add spring-boot-starter-jdbc");
        });
    }

    @Test
    void withATransactionManagerTheHandlerRunsInItsTransaction() {
        scanning().withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(DATA_SOURCE))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CritterDiagnostics.class).handlerChains()).singleElement()
                            .extracting(CritterDiagnostics.HandlerChainDescription::transaction).asString()
                            .startsWith("PROPAGATION_REQUIRED,ISOLATION_DEFAULT on");
                });
    }
}
