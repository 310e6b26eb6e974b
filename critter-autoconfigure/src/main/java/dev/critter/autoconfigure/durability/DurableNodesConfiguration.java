package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This node's registration, heartbeat and recovery of dead nodes, and the backlog figures of gauges and health. */
@Configuration(proxyBeanMethods = false)
class DurableNodesConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JdbcNodes critterJdbcNodes(DataSource dataSource, JdbcSchema schema, DurabilityNode node,
                               DurabilitySettings settings, BackgroundWork work) {
        return new JdbcNodes(dataSource, schema, node, settings, work);
    }

    /** Measured from the start even in a lazily initialized context: gauges and health read it. */
    @Bean
    static LazyInitializationExcludeFilter critterJdbcBacklogEagerly() {
        return LazyInitializationExcludeFilter.forBeanTypes(JdbcBacklog.class);
    }

    @Bean(initMethod = "start")
    @ConditionalOnMissingBean
    JdbcBacklog critterJdbcBacklog(DataSource dataSource, JdbcSchema schema, DurabilitySettings settings,
                                   BackgroundWork work, JdbcNodes nodes) {
        JdbcBacklog backlog = new JdbcBacklog(dataSource, schema, settings, work);
        nodes.onRegistered(backlog::refresh);
        return backlog;
    }
}
