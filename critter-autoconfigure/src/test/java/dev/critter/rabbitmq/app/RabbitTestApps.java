package dev.critter.rabbitmq.app;

import java.util.function.Consumer;

import dev.critter.CritterConfigurer;
import dev.critter.CritterOptions;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts the Rabbit integration tests run: Critter on a real broker, with this package's handlers. */
public final class RabbitTestApps {

    private RabbitTestApps() {
    }

    /**
     * Returns a runner with Spring Boot's Rabbit and Critter's auto-configurations, pointed at the
     * broker, the Rabbit transport switched on, a 5 s shutdown timeout, the handlers of
     * {@link RabbitTestMessages} and a {@link Recorder} bean for them to record into.
     * @param rabbit the broker the context connects to
     * @param configuration the test's rules and listeners, applied as a {@link CritterConfigurer}
     * @param properties further properties, applied after the defaults (so they override them)
     * @return the runner
     */
    public static ApplicationContextRunner recording(TestRabbit rabbit, Consumer<CritterOptions> configuration,
            String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.handlers.base-packages=" + RabbitTestMessages.class.getPackageName())
                .withPropertyValues(properties)
                .withBean(Recorder.class, Recorder::new)
                .withBean(CritterConfigurer.class, () -> configuration::accept);
    }
}
