package dev.critter.autoconfigure;

import dev.critter.observability.CritterMetrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Records Critter's metrics when the application has a {@link MeterRegistry} (Spring Boot's
 * actuator provides one; with several, the primary one). Ordered after Boot's metrics auto-configuration so its registry is
 * known when the condition is evaluated.
 */
@AutoConfiguration(after = CritterAutoConfiguration.class, afterName = {
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
}
