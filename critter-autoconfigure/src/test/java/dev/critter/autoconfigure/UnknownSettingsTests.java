package dev.critter.autoconfigure;

import java.util.Map;

import dev.critter.CritterConfigurationException;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static dev.critter.support.StartupFailures.configurationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code critter.*} key that no setting has fails start-up, naming the nearest valid key (SPEC
 * §12.1), at every level: top, nested, inside the per-queue map, below a plain value.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownSettingsTests {

    private static final String QUEUES = "dev.critter.discovery.failures.queues";

    private static ApplicationContextRunner critter(String... properties) {
        return CritterContexts.scanning(UnknownSettingsTests.class)
                .withPropertyValues("critter.handlers.base-packages=" + QUEUES).withPropertyValues(properties);
    }

    @Test
    void aMisspelledPerQueueKeyFailsNamingTheQueueAndTheNearestKey() {
        critter("critter.local.queues.job.parallelizm=4").run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).startsWith(
                    "unknown setting `parallelizm` in critter.local.queues.job; did you mean `parallelism`?");
            assertThat(failure.fix()).isEqualTo("Rename it to critter.local.queues.job.parallelism"
                    + " (docs/configuration.md lists every key)");
        });
    }

    @Test
    void aMisspelledTopLevelKeyFailsNamingTheNearestKey() {
        critter("critter.shutdown-timout=5s").run(context -> assertThat(configurationFailure(context).getMessage())
                .startsWith("unknown setting `shutdown-timout` in critter; did you mean `shutdown-timeout`?"));
    }

    @Test
    void aMisspelledNestedKeyFailsNamingTheNearestKey() {
        critter("critter.local.default-paralelism=2").run(context -> assertThat(configurationFailure(context).getMessage())
                .startsWith("unknown setting `default-paralelism` in critter.local; did you mean `default-parallelism`?"));
    }

    @Test
    void aKeyFarFromEveryValidOneListsTheValidKeysThere() {
        critter("critter.local.queues.job.colour=red").run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).startsWith("unknown setting `colour` in critter.local.queues.job")
                    .doesNotContain("did you mean");
            assertThat(failure.fix()).contains("capacity", "durable", "parallelism", "partition-by", "sequential");
        });
    }

    @Test
    void aKeyBelowAPlainValueFailsSayingTheValueHasNoSettings() {
        critter("critter.shutdown-timeout.seconds=5").run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).startsWith("unknown setting `seconds` in critter.shutdown-timeout");
            assertThat(failure.fix()).contains("takes a value and has no settings below it");
        });
    }

    @Test
    void aQueueNameWithDotsOutsideBracketsIsExplained() {
        critter("critter.local.queues.orders.v2.capacity=5").run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).startsWith("unknown setting `v2` in critter.local.queues.orders");
            assertThat(failure.fix()).endsWith("a name containing dots goes in brackets: critter.local.queues[orders.v2]");
        });
    }

    @Test
    void everyUnknownKeyIsListed() {
        critter("critter.local.queues.job.parallelizm=4", "critter.invoke.timout=1s").run(context ->
                assertThat(configurationFailure(context).getMessage()).contains("also unknown: critter.invoke.timout"));
    }

    @Test
    void validKeysInEveryFormStart() {
        critter("critter.local.defaultCapacity=100", "critter.local.queues.job.partition-by=id",
                "critter.local.queues.job.capacity=50", "critter.errors.retry-cooldowns[0]=10ms",
                "critter.handlers.base-packages[0]=" + QUEUES, "critter.metrics.tenant-tag=false",
                "critter.dead-letters.in-memory-capacity=10", "critter.scheduling.in-memory-capacity=10",
                "critter.invoke.timeout=1s", "critter.service-name=test")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void environmentVariablesAreNotCheckedBecauseTheirNamesAreAmbiguous() {
        critter().withInitializer(context -> context.getEnvironment().getPropertySources().addLast(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("CRITTER_LOCAL_DEFAULT_CAPACITY", "100"))))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theJarsMetadataIsReadOnlyForAKeyCritterItselfDoesNotKnow() {
        MetadataCountingClassLoader loader = new MetadataCountingClassLoader();
        StandardEnvironment valid = new StandardEnvironment();
        valid.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "critter.local.queues.job.capacity", "50", "critter.durability.enabled", "false",
                "critter.rabbitmq.enabled", "false")));
        UnknownSettingsCheck.check(valid, loader);
        assertThat(loader.metadataReads).as("metadata reads for Critter's own keys").isZero();

        StandardEnvironment misspelled = new StandardEnvironment();
        misspelled.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("critter.local.queues.job.capacty", "50")));
        assertThatThrownBy(() -> UnknownSettingsCheck.check(misspelled, loader))
                .isInstanceOf(CritterConfigurationException.class).hasMessageContaining("did you mean `capacity`");
        assertThat(loader.metadataReads).as("metadata reads for an unknown key").isEqualTo(1);
    }

    /** Counts the look-ups of the configuration metadata that {@link KnownSettings#load} reads from every jar. */
    static final class MetadataCountingClassLoader extends ClassLoader {
        int metadataReads;

        MetadataCountingClassLoader() {
            super(UnknownSettingsTests.class.getClassLoader());
        }

        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            if (name.equals("META-INF/spring-configuration-metadata.json")) {
                metadataReads++;
            }
            return super.getResources(name);
        }
    }

    @Test
    void keysOutsideCritterAreNotChecked() {
        critter("critterish.anything=1", "spring.critter.whatever=2").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMisspelledKeyInApplicationYamlIsReportedWithItsFileAndTheNearestKey(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CritterApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.location=classpath:unknown-settings.yml", "spring.main.banner-mode=off")
                .run()).hasRootCauseInstanceOf(CritterConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Critter cannot start: unknown setting `parallelizm` in critter.local.queues.job; "
                        + "did you mean `parallelism`? (set in class path resource [unknown-settings.yml] - 8:22)")
                .contains("Rename it to critter.local.queues.job.parallelism");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CritterAutoConfiguration.class)
    static class CritterApplication {
    }
}
