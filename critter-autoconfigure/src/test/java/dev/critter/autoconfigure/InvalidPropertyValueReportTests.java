package dev.critter.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad {@code critter.*} value is reported by Spring Boot with where the value came from. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertyValueReportTests {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CritterAutoConfiguration.class)
    static class App {
    }

    @Test
    void aCapacityBelowOneIsReportedWithTheKeyTheValueTheReasonAndItsOrigin(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .run("--critter.handlers.base-packages=dev.critter.autoconfigure.nohandlers",
                        "--critter.dead-letters.in-memory-capacity=0"))
                .hasRootCauseInstanceOf(
                        org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class);
        assertThat(output).contains("Invalid value '0' for configuration property 'critter.dead-letters.in-memory-capacity'")
                .contains("commandLineArgs")
                .contains("Must be at least 1.");
    }
}
