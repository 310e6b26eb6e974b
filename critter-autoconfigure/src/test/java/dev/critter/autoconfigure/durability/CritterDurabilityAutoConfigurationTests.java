package dev.critter.autoconfigure.durability;

import java.sql.Connection;
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.durability.jdbc.SchemaName;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * When {@link CritterDurabilityAutoConfiguration} switches on, and how it fails. None of these
 * contexts reaches a database (an unreachable one stands in where a DataSource must exist);
 * the schema work itself is in {@code CritterDurabilityIntegrationTests}.
 */
class CritterDurabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterDurabilityAutoConfiguration.class));

    @Test
    void isListedInAutoConfigurationImportsAndOrderedBeforeCritterAutoConfiguration() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(CritterDurabilityAutoConfiguration.class.getName());
        AutoConfiguration annotation = CritterDurabilityAutoConfiguration.class.getAnnotation(AutoConfiguration.class);
        assertThat(annotation.before()).contains(CritterAutoConfiguration.class);
        assertThat(annotation.afterName()).contains("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
    }

    @Test
    void staysOffWithoutADataSource() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSchema.class));
    }

    @Test
    void staysOffWithoutSpringJdbcEvenWithADataSource() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withClassLoader(new FilteredClassLoader(JdbcClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSchema.class)
                        .doesNotHaveBean(DurabilityProperties.class));
    }

    @Test
    void staysOffWithTwoDataSourcesAndNoPrimary() {
        runner.withUserConfiguration(TwoDataSources.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSchema.class));
    }

    @Test
    void staysOffWhenDurabilityIsDisabled() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("critter.durability.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSchema.class)
                        .doesNotHaveBean(DurabilityProperties.class));
    }

    @Test
    void staysOffWhenCritterIsDisabled() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("critter.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcSchema.class));
    }

    @Test
    void switchesOnWithASingleDataSourceAndBindsItsProperties() {
        // The unreachable database proves the bean is attempted: start-up fails connecting to it.
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("critter.durability.schema=orders_messaging", "critter.durability.auto-create=false")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("critterJdbcSchema")
                            .hasStackTraceContaining("127.0.0.1:1");
                });
    }

    @Test
    void switchesOnWithTwoDataSourcesWhenOneIsPrimary() {
        runner.withUserConfiguration(TwoDataSources.class, PrimaryDataSource.class)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("critterJdbcSchema"));
    }

    @Test
    void aJdbcSchemaBeanOfTheApplicationWins() {
        runner.withUserConfiguration(UnreachableDataSource.class, OwnSchema.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JdbcSchema.class);
                    assertThat(context.getBean(JdbcSchema.class).name().value()).isEqualTo("mine");
                    assertThat(context.getBean(DurabilityProperties.class).getSchema()).isEqualTo("critter");
                    assertThat(context.getBean(DurabilityProperties.class).isAutoCreate()).isTrue();
                });
    }

    @Test
    void aBadSchemaNameFailsStartUpNamingTheKeyTheValueAndTheRuleBeforeAnyConnection() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("critter.durability.schema=Orders-Messaging")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).isEqualTo("Critter cannot start: critter.durability.schema="
                            + "'Orders-Messaging' is not a valid schema name: it must match " + SchemaName.RULE);
                    assertThat(analysis.getAction()).startsWith("Set critter.durability.schema to a lower-case name");
                    assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(CritterConfigurationException.class);
                });
    }

    @Test
    void aDataSourceThatIsNotPostgresFailsStartUpSayingHowToTurnDurabilityOff() {
        runner.withBean(DataSource.class, () -> databaseCalled("H2"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Critter's durability needs PostgreSQL")
                            .contains("DataSource is H2");
                    assertThat(analysis.getAction()).contains("critter.durability.enabled=false");
                });
    }

    private static FailureAnalysis analyze(Throwable failure) {
        // Critter's analyzer as Spring Boot finds it (spring.factories); analyzers needing a bean factory are left out.
        return SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, (type, name, ignored) -> { }).stream()
                .map(analyzer -> analyzer.analyze(failure)).filter(analysis -> analysis != null)
                .findFirst().orElseThrow();
    }

    private static DataSource databaseCalled(String product) {
        try {
            DataSource dataSource = mock(DataSource.class);
            Connection connection = mock(Connection.class);
            DatabaseMetaData metaData = mock(DatabaseMetaData.class);
            given(dataSource.getConnection()).willReturn(connection);
            given(connection.getMetaData()).willReturn(metaData);
            given(metaData.getDatabaseProductName()).willReturn(product);
            return dataSource;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static DataSource unreachable() {
        return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
    }

    @Configuration(proxyBeanMethods = false)
    static class UnreachableDataSource {

        @Bean
        DataSource dataSource() {
            return unreachable();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        DataSource first() {
            return unreachable();
        }

        @Bean
        DataSource second() {
            return unreachable();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrimaryDataSource {

        @Bean
        @Primary
        DataSource third() {
            return unreachable();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSchema {

        @Bean
        JdbcSchema mySchema() {
            return new JdbcSchema(new SchemaName("mine"), 1);
        }
    }
}
