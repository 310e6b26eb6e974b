package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.local.LocalTransport;
import dev.critter.runtime.CritterRuntime;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/** This node's registration, heartbeat and recovery of dead nodes, and the backlog figures of gauges and health. */
@Configuration(proxyBeanMethods = false)
class DurableNodesConfiguration {

    private static final String BOOT_JDBC = "org.springframework.boot.jdbc.DataSourceBuilder";

    /** Heart-beats on a connection of its own, outside the pool, when Boot can derive one from the DataSource. */
    @Bean
    @ConditionalOnMissingBean
    JdbcNodes critterJdbcNodes(DataSource dataSource, JdbcSchema schema, DurabilityNode node,
                               DurabilitySettings settings, BackgroundWork work) {
        DataSource heartbeat = ClassUtils.isPresent(BOOT_JDBC, DurableNodesConfiguration.class.getClassLoader())
                ? HeartbeatDataSources.derive(dataSource) : null;
        return new JdbcNodes(dataSource, heartbeat, schema, node, settings, work);
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

    /** The pool-size check, with Boot's pool metadata (spring-boot-jdbc). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = BOOT_JDBC)
    static class PoolCheck {

        @Bean
        ConnectionPoolCheck critterConnectionPoolCheck(DataSource dataSource, DurabilitySettings settings,
                                                      ObjectProvider<DataSourcePoolMetadataProvider> pools,
                                                      ObjectProvider<CritterRuntime> runtime,
                                                      ObjectProvider<LocalTransport> local) {
            return new ConnectionPoolCheck(dataSource, settings, pools.orderedStream().toList(), runtime, local);
        }
    }
}
