package dev.critter.autoconfigure;

import dev.critter.autoconfigure.durability.CritterDurabilityAutoConfiguration;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.observability.BacklogGauges;
import dev.critter.observability.CritterMetrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Records Critter's metrics when the application has a {@link MeterRegistry} (Spring Boot's
 * actuator provides one; with several, the primary one). Ordered after Boot's metrics auto-configuration so its registry is
 * known when the condition is evaluated.
 */
@AutoConfiguration(after = {CritterAutoConfiguration.class, CritterDurabilityAutoConfiguration.class}, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "critter.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(MeterRegistry.class)
@EnableConfigurationProperties(CritterProperties.class)
public final class CritterMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CritterMetrics critterMetrics(MeterRegistry registry, CritterProperties properties) {
        return new CritterMetrics(registry, properties.getMetrics().isTenantTag());
    }

    /**
     * With durability, the backlog gauges read durability's periodic figures (registered as the
     * bean is made, before the runtime starts, so {@link CritterMetrics} leaves them alone).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
    @ConditionalOnBean(JdbcBacklog.class)
    static class DurabilityGauges {

        /** The gauges register when their bean is made: also in a lazily initialized context. */
        @Bean
        static LazyInitializationExcludeFilter critterBacklogGaugesEagerly() {
            return LazyInitializationExcludeFilter.forBeanTypes(BacklogGauges.class);
        }

        @Bean
        @ConditionalOnMissingBean
        BacklogGauges critterBacklogGauges(MeterRegistry registry, JdbcBacklog backlog) {
            return new BacklogGauges(backlog::current).registerOn(registry);
        }
    }
}
