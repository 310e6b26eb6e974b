package dev.critter.autoconfigure;

import dev.critter.CritterDiagnostics;
import dev.critter.DeadLetters;
import dev.critter.actuate.CritterDeadLettersEndpoint;
import dev.critter.actuate.CritterEndpoint;
import dev.critter.actuate.CritterHealthIndicator;
import dev.critter.actuate.DurabilityHealth;
import dev.critter.autoconfigure.durability.CritterDurabilityAutoConfiguration;
import dev.critter.autoconfigure.durability.DurabilityProperties;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcNodes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Critter's actuator endpoints ({@code critter}, {@code critterdeadletters}) and health
 * contributor, when Spring Boot's actuator is on the class path. Expose the endpoints like any
 * other: {@code management.endpoints.web.exposure.include=health,critter,critterdeadletters}.
 */
@AutoConfiguration(after = {CritterAutoConfiguration.class, CritterDurabilityAutoConfiguration.class})
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(CritterDiagnostics.class)
public final class CritterActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
    static class Endpoints {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        CritterEndpoint critterEndpoint(CritterDiagnostics diagnostics, ObjectProvider<JdbcNodes> nodes,
                                        ObjectProvider<JdbcBacklog> backlog) {
            JdbcNodes durableNodes = nodes.getIfAvailable();
            JdbcBacklog durableBacklog = backlog.getIfAvailable();
            if (durableNodes == null || durableBacklog == null) {
                return new CritterEndpoint(diagnostics);
            }
            return new CritterEndpoint(diagnostics, () -> new CritterEndpoint.DurabilityDescription(
                    durableNodes.liveNodes(), durableBacklog.current()));
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        @ConditionalOnBean(DeadLetters.class)
        CritterDeadLettersEndpoint critterDeadLettersEndpoint(DeadLetters deadLetters) {
            return new CritterDeadLettersEndpoint(deadLetters);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("critter")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "critterHealthIndicator")
        CritterHealthIndicator critterHealthIndicator(CritterDiagnostics diagnostics,
                                                      ObjectProvider<DurabilityHealth> durability) {
            return new CritterHealthIndicator(diagnostics, durability.getIfAvailable());
        }

        /** With durability: the database (this node's heartbeat) and relay-lag checks. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
        @ConditionalOnBean({JdbcNodes.class, JdbcBacklog.class})
        static class Durability {

            @Bean
            @ConditionalOnMissingBean
            DurabilityHealth critterDurabilityHealth(JdbcNodes nodes, JdbcBacklog backlog, DurabilitySettings settings,
                                                     DurabilityProperties properties) {
                return new DurabilityHealth(nodes, backlog, settings.nodeLease(), properties.getRelayLagThreshold());
            }
        }
    }
}
