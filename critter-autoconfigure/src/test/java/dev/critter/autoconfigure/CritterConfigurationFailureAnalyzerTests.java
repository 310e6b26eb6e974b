package dev.critter.autoconfigure;

import dev.critter.CritterConfigurationException;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Critter's start-up errors reach the user as Spring Boot failure reports: what is wrong in the
 * description, what to change in the action.
 */
@ExtendWith(OutputCaptureExtension.class)
class CritterConfigurationFailureAnalyzerTests {

    private static final String MISSING_BEAN = "dev.critter.discovery.failures.missingbean";

    private final CritterConfigurationFailureAnalyzer analyzer = new CritterConfigurationFailureAnalyzer();

    @Test
    void anUnresolvableParameterIsReportedWithClassMethodPositionTypeAndFix() {
        CritterContexts.scanning(CritterConfigurationFailureAnalyzerTests.class)
                .withPropertyValues("critter.handlers.base-packages=" + MISSING_BEAN)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).startsWith("Critter cannot start: MissingBeanHandler.handle("
                            + "Ping, PaymentGateway), parameter 2 (PaymentGateway): no bean of type "
                            + MISSING_BEAN + ".MissingBeanHandler$PaymentGateway");
                    assertThat(analysis.getAction())
                            .isEqualTo("Add a bean of type PaymentGateway, or mark the method @NotHandler");
                    assertThat(analysis.getCause()).isInstanceOf(CritterConfigurationException.class);
                });
    }

    @Test
    void aConfigurationErrorWrappedInABeanCreationFailureIsFoundAndReported() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isNotInstanceOf(CritterConfigurationException.class);
                    FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).startsWith("Critter cannot start: critter.handlers.base-packages");
                    assertThat(analysis.getAction()).contains("Set critter.handlers.base-packages");
                });
    }

    @Test
    void otherFailuresAreLeftToOtherAnalyzers() {
        assertThat(analyzer.analyze(new IllegalStateException("not Critter's"))).isNull();
    }

    @Test
    void aFailingApplicationPrintsCrittersReport(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(MissingBeanApplication.class)
                .web(WebApplicationType.NONE)
                .properties("critter.handlers.base-packages=" + MISSING_BEAN, "critter.shutdown-timeout=5s",
                        "spring.main.banner-mode=off")
                .run()).isInstanceOf(CritterConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Critter cannot start: MissingBeanHandler.handle(Ping, PaymentGateway), parameter 2 (PaymentGateway)")
                .contains("Add a bean of type PaymentGateway, or mark the method @NotHandler");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CritterAutoConfiguration.class)
    static class MissingBeanApplication {
    }
}
