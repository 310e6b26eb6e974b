package dev.critter.autoconfigure.durability;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.handler.MessageTypes;
import dev.critter.serialization.MessageBodies;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

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
import org.springframework.context.annotation.Import;
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
    @Import({DurableNodesConfiguration.class, DurableDeadLettersConfiguration.class,
            DurableSchedulingConfiguration.class, DurableOutboxConfiguration.class, DurableInboxConfiguration.class})
    static class JdbcSchemaConfiguration {

        @Bean
        @ConditionalOnMissingBean
        JdbcSchema critterJdbcSchema(DataSource dataSource, DurabilityProperties properties) {
            return JdbcSchemaStartup.prepare(dataSource, properties, MigrationScripts.critter());
        }

        @Bean
        @ConditionalOnMissingBean
        DurabilitySettings critterDurabilitySettings(DurabilityProperties properties) {
            return DurabilitySettingsCheck.resolve(properties);
        }

        /** This running application's node: a fresh id each start. */
        @Bean
        @ConditionalOnMissingBean
        DurabilityNode critterDurabilityNode(Environment environment) {
            String serviceName = environment.getProperty("critter.service-name",
                    environment.getProperty("spring.application.name", "critter"));
            return DurabilityNode.start(serviceName);
        }

        /** The registry of known message types; this configuration runs first, so the runtime shares this one. */
        @Bean
        @ConditionalOnMissingBean
        MessageTypes critterMessageTypes() {
            return new MessageTypes();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        BackgroundWork critterBackgroundWork(DurabilitySettings settings) {
            return new BackgroundWork(settings.backgroundConnections());
        }

        /** Bodies as JSON with the application's Jackson 3 mapper (Boot's, with its modules), else a default one. */
        @Bean
        @ConditionalOnMissingBean
        EnvelopeColumns critterEnvelopeColumns(ObjectProvider<JsonMapper> mapper, MessageTypes messageTypes) {
            JsonMapper json = mapper.getIfUnique(() -> JsonMapper.builder().build());
            return new EnvelopeColumns(new MessageBodies(json, messageTypes), json);
        }
    }
}
