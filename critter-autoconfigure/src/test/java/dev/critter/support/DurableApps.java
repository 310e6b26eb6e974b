package dev.critter.support;

import java.util.ArrayList;
import java.util.List;

import dev.critter.autoconfigure.CritterActuatorAutoConfiguration;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.CritterMetricsAutoConfiguration;
import dev.critter.autoconfigure.durability.CritterDurabilityAutoConfiguration;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot applications with durability on a test database, as a user's application has
 * them: Boot's DataSource, metrics (a simple registry), actuator health, and Critter's
 * auto-configurations, without handlers.
 */
public final class DurableApps {

    private DurableApps() {
    }

    /**
     * Starts an application.
     * @param database the database it uses
     * @param properties more properties ({@code key=value}), after the defaults so they win
     * @return the running application; close it for a clean shutdown
     */
    public static ConfigurableApplicationContext start(TestDatabase database, String... properties) {
        return start(database, new Class<?>[0], properties);
    }

    /**
     * Starts an application with more configuration classes (beans of a test: a transport, say).
     * @param database the database it uses
     * @param configurations more {@code @Configuration} classes
     * @param properties more properties ({@code key=value}), after the defaults so they win
     * @return the running application; close it for a clean shutdown
     */
    public static ConfigurableApplicationContext start(TestDatabase database, Class<?>[] configurations,
                                                       String... properties) {
        List<String> all = new ArrayList<>(List.of(database.springProperties()));
        all.addAll(List.of("spring.main.banner-mode=off", "spring.application.name=orders",
                "critter.handlers.base-packages=dev.critter.support.nohandlers", "critter.shutdown-timeout=5s",
                "management.endpoint.health.show-details=always",
                "management.endpoints.web.exposure.include=health,critter", "spring.datasource.hikari.maximum-pool-size=4"));
        all.addAll(List.of(properties));
        List<Class<?>> sources = new ArrayList<>(List.of(App.class));
        sources.addAll(List.of(configurations));
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run();
    }

    /**
     * Returns a context runner for what durability's auto-configuration decides at start-up: Boot's
     * DataSource on the database, durability and Critter, no handlers (nor metrics or actuator).
     * @param database the database it uses
     * @return the runner; add beans and properties to it
     */
    public static ApplicationContextRunner runner(TestDatabase database) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        CritterDurabilityAutoConfiguration.class, CritterAutoConfiguration.class))
                .withPropertyValues(database.springProperties())
                .withPropertyValues("critter.handlers.base-packages=dev.critter.support.nohandlers",
                        "critter.shutdown-timeout=5s");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, CritterDurabilityAutoConfiguration.class,
            CritterAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, CritterMetricsAutoConfiguration.class,
            EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
            CritterActuatorAutoConfiguration.class})
    static class App {
    }
}
