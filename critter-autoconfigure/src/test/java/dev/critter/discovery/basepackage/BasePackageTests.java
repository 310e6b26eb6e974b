package dev.critter.discovery.basepackage;

import java.util.List;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.IMessageBus;
import dev.critter.NoHandlerException;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.discovery.basepackage.app.AppConfiguration;
import dev.critter.discovery.basepackage.app.AppHandler.AppMessage;
import dev.critter.discovery.basepackage.app.sub.SubPackageHandler.SubMessage;
import dev.critter.discovery.basepackage.other.OtherHandler.OtherMessage;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedEvent;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which packages Critter scans: the application's auto-configuration package (the
 * {@code @SpringBootApplication} package) with its sub-packages by default, or exactly
 * {@code critter.handlers.base-packages} when set.
 */
class BasePackageTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class))
            .withPropertyValues("critter.shutdown-timeout=5s");

    @Test
    void scansTheAutoConfigurationPackageAndItsSubPackagesByDefault() {
        runner.withUserConfiguration(AppConfiguration.class).run(context -> {
            assertThat(handledTypes(context)).containsExactlyInAnyOrder(AppMessage.class.getName(),
                    SubMessage.class.getName());
            MessageTracking tracking = context.getBean(MessageTracking.class);
            assertThat(tracking.publishAndWait(new AppMessage("1")).executed().singleMessage(AppMessage.class))
                    .isEqualTo(new AppMessage("1"));
            assertThat(tracking.publishAndWait(new SubMessage("1")).executed().singleMessage(SubMessage.class))
                    .isEqualTo(new SubMessage("1"));
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).invoke(new OtherMessage("1")))
                    .isInstanceOf(NoHandlerException.class);
        });
    }

    @Test
    void basePackagesPropertyReplacesTheAutoConfigurationPackage() {
        runner.withUserConfiguration(AppConfiguration.class)
                .withPropertyValues("critter.handlers.base-packages=dev.critter.discovery.basepackage.other")
                .run(context -> {
                    assertThat(handledTypes(context)).containsExactly(OtherMessage.class.getName());
                    assertThat(context.getBean(MessageTracking.class).publishAndWait(new OtherMessage("1"))
                            .executed().singleMessage(OtherMessage.class)).isEqualTo(new OtherMessage("1"));
                    assertThatThrownBy(() -> context.getBean(IMessageBus.class).invoke(new AppMessage("1")))
                            .isInstanceOf(NoHandlerException.class);
                });
    }

    @Test
    void basePackagesPropertyTakesSeveralPackagesWithoutAnAutoConfigurationPackage() {
        runner.withPropertyValues("critter.handlers.base-packages=dev.critter.discovery.basepackage.other,"
                        + "dev.critter.discovery.basepackage.app.sub")
                .run(context -> assertThat(handledTypes(context)).containsExactlyInAnyOrder(
                        OtherMessage.class.getName(), SubMessage.class.getName()));
    }

    @Test
    void overlappingBasePackagesFindEachHandlerOnce() {
        runner.withPropertyValues("critter.handlers.base-packages=dev.critter.discovery.basepackage.app,"
                        + "dev.critter.discovery.basepackage.app.sub")
                .run(context -> {
                    assertThat(handledTypes(context)).containsExactlyInAnyOrder(AppMessage.class.getName(),
                            SubMessage.class.getName());
                    assertThat(context.getBean(MessageTracking.class).publishAndWait(new SubMessage("1")).events())
                            .filteredOn(e -> e.kind() == TrackedEvent.Kind.EXECUTED).hasSize(1);
                });
    }

    private static List<String> handledTypes(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(CritterDiagnostics.class).handlerChains().stream()
                .map(HandlerChainDescription::messageType).toList();
    }
}
