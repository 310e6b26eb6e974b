package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.durability.jdbc.MigrationScripts;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Switches Critter's durability on when spring-jdbc is on the classpath, the application has a
 * single {@link DataSource} (or a primary one) and neither {@code critter.enabled} nor
 * {@code critter.durability.enabled} is false: readies Critter's schema on PostgreSQL at
 * start-up ({@link JdbcSchema}). Runs before {@link CritterAutoConfiguration}, whose in-memory
 * stores back off from the durable ones.
 */
@AutoConfiguration(before = CritterAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnBooleanProperty(name = "critter.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "critter.durability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DurabilityProperties.class)
public final class CritterDurabilityAutoConfiguration {

    /** Beans that need the application's one DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JdbcSchemaConfiguration {

        @Bean
        @ConditionalOnMissingBean
        JdbcSchema critterJdbcSchema(DataSource dataSource, DurabilityProperties properties) {
            return JdbcSchemaStartup.prepare(dataSource, properties, MigrationScripts.critter());
        }
    }
}
