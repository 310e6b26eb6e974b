package dev.critter.autoconfigure;

import dev.critter.autoconfigure.handlers.SampleHandlers;
import dev.critter.observability.CritterMetrics;
import dev.critter.runtime.MessageObserver;
import dev.critter.support.CritterContexts;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CritterMetricsAutoConfigurationTests {

    @Test
    void isListedInAutoConfigurationImports() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(CritterMetricsAutoConfiguration.class.getName());
    }

    @Test
    void recordsMetricsWithTheRegistryOfSpringBootsMetricsAutoConfigurationWhateverTheOrderListed() {
        // Critter's listed first on purpose: its own ordering must put it after Boot's.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CritterMetricsAutoConfiguration.class,
                        CritterAutoConfiguration.class, MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("critter.handlers.base-packages=" + SampleHandlers.class.getPackageName())
                .run(context -> {
                    assertThat(context).hasSingleBean(CritterMetrics.class);
                    assertThat(context.getBeanProvider(MessageObserver.class).stream())
                            .contains(context.getBean(CritterMetrics.class));
                });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        CritterContexts.scanning(SampleHandlers.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CritterMetrics.class));
    }

    @Test
    void backsOffWhenCritterIsDisabled() {
        CritterContexts.scanning(SampleHandlers.class).withBean(SimpleMeterRegistry.class)
                .withPropertyValues("critter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CritterMetrics.class));
    }

    @Test
    void anApplicationCritterMetricsBeanWins() {
        CritterContexts.scanning(SampleHandlers.class).withBean(SimpleMeterRegistry.class)
                .withBean("myMetrics", CritterMetrics.class,
                        () -> new CritterMetrics(new SimpleMeterRegistry(), true))
                .run(context -> assertThat(context).hasSingleBean(CritterMetrics.class).hasBean("myMetrics"));
    }

    @Test
    void tenantTaggingIsOffUnlessAskedFor() {
        assertThat(new CritterProperties().getMetrics().isTenantTag()).isFalse();
    }
}
