package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.actuate.CritterHealthIndicator;
import dev.critter.actuate.DurabilityHealth;
import dev.critter.autoconfigure.CritterActuatorAutoConfiguration;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.CritterMetricsAutoConfiguration;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.durability.jdbc.SchemaName;
import dev.critter.observability.BacklogGauges;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beans of nodes and recovery, the backlog gauges and the durability health details: when
 * they exist and when they back off. The database is unreachable here: a node that cannot
 * register at start-up logs it and keeps trying, it does not fail the context.
 */
class DurableNodesConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterDurabilityAutoConfiguration.class,
                    CritterAutoConfiguration.class, CritterMetricsAutoConfiguration.class,
                    CritterActuatorAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withPropertyValues("critter.handlers.base-packages=dev.critter.support.nohandlers",
                    "critter.shutdown-timeout=5s");

    @Test
    void withDurabilityEveryNodeRegistersRecoversAndMeasuresItsBacklog() {
        runner.withUserConfiguration(UnreachableDatabase.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcNodes.class).hasSingleBean(JdbcBacklog.class)
                    .hasSingleBean(BacklogGauges.class).hasSingleBean(DurabilityHealth.class)
                    .hasSingleBean(CritterHealthIndicator.class);
            assertThat(context.getBean(JdbcNodes.class).isRunning()).isTrue();
            assertThat(context.getBean(JdbcNodes.class).node()).isSameAs(context.getBean(DurabilityNode.class));
            assertThat(context.getBean(JdbcNodes.class).sinceLastHeartbeat()).as("never registered").isNull();
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(UnreachableDatabase.class, OwnNodes.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcNodes.class).hasSingleBean(JdbcBacklog.class);
            assertThat(context).hasBean("myNodes").hasBean("myBacklog");
        });
    }

    @Test
    void withoutDurabilityThereAreNone() {
        runner.withUserConfiguration(UnreachableDatabase.class).withPropertyValues("critter.durability.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcNodes.class)
                        .doesNotHaveBean(JdbcBacklog.class).doesNotHaveBean(BacklogGauges.class)
                        .doesNotHaveBean(DurabilityHealth.class).hasSingleBean(CritterHealthIndicator.class));
    }

    @Test
    void withoutSpringJdbcMetricsAndHealthStillWork() {
        runner.withClassLoader(new FilteredClassLoader(JdbcClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BacklogGauges.class)
                        .doesNotHaveBean(DurabilityHealth.class).hasSingleBean(CritterHealthIndicator.class));
    }

    @Test
    void theDurabilityHealthBacksOffWithTheCritterHealthIndicator() {
        runner.withUserConfiguration(UnreachableDatabase.class).withPropertyValues("management.health.critter.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DurabilityHealth.class)
                        .doesNotHaveBean(CritterHealthIndicator.class));
    }

    @Test
    void aRelayLagThresholdThatIsNotPositiveFailsStartUpNamingTheKey() {
        runner.withUserConfiguration(UnreachableDatabase.class)
                .withPropertyValues("critter.durability.relay-lag-threshold=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("critter.durability.relay-lag-threshold");
                });
    }

    @Test
    void theRelayLagThresholdIsOneMinuteUnlessSet() {
        assertThat(new DurabilityProperties().getRelayLagThreshold()).hasMinutes(1);
    }

    /** A DataSource nobody listens behind, and a schema that needs no connection. */
    @Configuration(proxyBeanMethods = false)
    static class UnreachableDatabase {

        @Bean
        DataSource dataSource() {
            return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
        }

        @Bean
        JdbcSchema schema() {
            return new JdbcSchema(new SchemaName("critter"), 1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnNodes {

        @Bean
        JdbcNodes myNodes(DataSource dataSource, JdbcSchema schema, DurabilityNode node, DurabilitySettings settings,
                          BackgroundWork work) {
            return new JdbcNodes(dataSource, schema, node, settings, work);
        }

        @Bean
        JdbcBacklog myBacklog(DataSource dataSource, JdbcSchema schema, DurabilitySettings settings, BackgroundWork work) {
            return new JdbcBacklog(dataSource, schema, settings, work);
        }
    }
}
