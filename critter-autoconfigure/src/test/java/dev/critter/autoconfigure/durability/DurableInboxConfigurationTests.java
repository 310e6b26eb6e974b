package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.durability.jdbc.JdbcInbox;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.transport.Inbox;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox bean of durable local queues: when it exists and when it backs off. */
class DurableInboxConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterDurabilityAutoConfiguration.class,
                    CritterAutoConfiguration.class))
            .withUserConfiguration(DurableNodesConfigurationTests.UnreachableDatabase.class)
            .withPropertyValues("critter.handlers.base-packages=dev.critter.support.nohandlers",
                    "critter.shutdown-timeout=5s");

    @Test
    void withDurabilityTheInboxIsInPostgres() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(Inbox.class)
                .getBean(Inbox.class).isInstanceOf(JdbcInbox.class));
    }

    @Test
    void theApplicationsOwnInboxWins() {
        runner.withUserConfiguration(OwnInbox.class).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(Inbox.class).hasBean("myInbox"));
    }

    @Test
    void withoutDurabilityThereIsNone() {
        runner.withPropertyValues("critter.durability.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Inbox.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInbox {

        @Bean
        JdbcInbox myInbox(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, JdbcNodes nodes,
                          DurabilitySettings settings, BackgroundWork work) {
            return new JdbcInbox(dataSource, schema, columns, nodes, settings, work);
        }
    }
}
