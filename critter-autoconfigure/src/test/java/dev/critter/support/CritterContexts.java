package dev.critter.support;

import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.CritterMetricsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts with Critter scanning one test package for handlers. */
public final class CritterContexts {

    private CritterContexts() {
    }

    /**
     * @param handlerPackage the package whose handlers the context discovers
     * @return a runner with Critter's auto-configurations (metrics switch on with a MeterRegistry bean)
     */
    public static ApplicationContextRunner scanning(Class<?> handlerPackageMember) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class,
                        CritterMetricsAutoConfiguration.class))
                .withPropertyValues("critter.handlers.base-packages=" + handlerPackageMember.getPackageName(),
                        "critter.shutdown-timeout=5s");
    }
}
