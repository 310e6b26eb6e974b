package dev.critter.autoconfigure.rabbitmq;

import dev.critter.CritterOptions;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.handlers.SampleHandlers;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.runtime.CritterRuntime;
import dev.critter.transport.Transport;

import dev.critter.actuate.CritterRabbitHealthIndicator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** When the RabbitMQ transport exists: spring-rabbit present, switched on, a connection factory; never otherwise. */
class CritterRabbitAutoConfigurationTests {

    // Nothing routes to RabbitMQ and nothing listens: the transport's one connection attempt at start-up
    // (for health) is all the broker sees, and its failure would only be logged.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class, CritterRabbitAutoConfiguration.class))
            .withPropertyValues("critter.handlers.base-packages=" + SampleHandlers.class.getPackageName(),
                    "critter.shutdown-timeout=5s")
            .withBean(ConnectionFactory.class, () -> new CachingConnectionFactory("127.0.0.1"));

    @Test
    void switchedOnWithSpringRabbitPresentTheRabbitTransportIsATransport() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(RabbitTransport.class);
            assertThat(context.getBeansOfType(Transport.class).values()).extracting(Transport::scheme)
                    .contains("local", "rabbitmq");
        });
    }

    @Test
    void switchedOnItContributesHealthUnlessThatIndicatorIsDisabled() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(CritterRabbitHealthIndicator.class)
                        .hasBean("critterRabbitmqHealthIndicator"));
        runner.withPropertyValues("critter.rabbitmq.enabled=true", "management.health.critter-rabbitmq.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CritterRabbitHealthIndicator.class));
    }

    @Test
    void withAMeterRegistryTheListenerMetersAreRegisteredOnIt() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(RabbitListenerMetrics.class));
        runner.withPropertyValues("critter.rabbitmq.enabled=true")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context.getBean(RabbitListenerMetrics.class).registry())
                        .isSameAs(context.getBean(MeterRegistry.class)));
    }

    @Test
    void offByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RabbitTransport.class);
            assertThat(context).doesNotHaveBean(CritterRabbitProperties.class);
        });
    }

    @Test
    void withoutSpringRabbitOnTheClassPathNothingRabbitIsCreatedEvenWhenSwitchedOn() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class, CritterRabbitAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.amqp", "com.rabbitmq"))
                .withPropertyValues("critter.handlers.base-packages=" + SampleHandlers.class.getPackageName(),
                        "critter.rabbitmq.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RabbitTransport.class);
                    assertThat(context).hasSingleBean(CritterRuntime.class);
                });
    }

    @Test
    void switchedOffWithCritterEnabledFalse() {
        runner.withPropertyValues("critter.enabled=false", "critter.rabbitmq.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(RabbitTransport.class));
    }

    @Test
    void switchedOnWithoutAConnectionFactoryFailsSayingToAddTheAmqpStarter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class, CritterRabbitAutoConfiguration.class))
                .withPropertyValues("critter.handlers.base-packages=" + SampleHandlers.class.getPackageName(),
                        "critter.rabbitmq.enabled=true")
                .run(context -> assertThat(messages(context.getStartupFailure())).contains("no single RabbitMQ ConnectionFactory"));
    }

    @Test
    void listenersComeFromPropertiesAndJavaConfigurationWins() {
        CritterOptions options = new CritterOptions();
        CritterRabbitProperties properties = new CritterRabbitProperties();
        CritterRabbitProperties.Listener listener = new CritterRabbitProperties.Listener();
        listener.setQueue("orders");
        listener.setParallelism(4);
        listener.setPrefetch(50);
        properties.getListeners().add(listener);

        RabbitPropertiesCheck.applyListeners(properties, options);
        options.listenToRabbitQueue("orders").parallelism(8);

        assertThat(options.rabbitListeners().get("orders").parallelism()).isEqualTo(8);
        assertThat(options.rabbitListeners().get("orders").prefetch()).isEqualTo(50);
    }

    @Test
    void aListenerWithoutAQueueOrWithZeroPrefetchFailsStartUpNamingTheKey() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true", "critter.rabbitmq.listeners[0].prefetch=0",
                        "critter.rabbitmq.listeners[0].queue=orders")
                .run(context -> assertThat(messages(context.getStartupFailure())).contains("critter.rabbitmq.listeners[0].prefetch=0 must be at least 1"));
        runner.withPropertyValues("critter.rabbitmq.enabled=true", "critter.rabbitmq.listeners[0].parallelism=2")
                .run(context -> assertThat(messages(context.getStartupFailure())).contains("critter.rabbitmq.listeners[0].queue is missing"));
    }

    @Test
    void aDurableListenerWithoutDurabilityFailsStartUpSayingWhatToFix() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true", "critter.rabbitmq.listeners[0].queue=orders",
                        "critter.rabbitmq.listeners[0].durable=true")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("RabbitMQ listener 'orders' is durable, which needs PostgreSQL durability (the inbox), "
                                + "but durability is off")
                        .contains("Action: Give the application a PostgreSQL DataSource"));
    }

    @Test
    void aListenerIsMadeDurableByPropertiesOrJava() {
        CritterOptions options = new CritterOptions();
        CritterRabbitProperties properties = new CritterRabbitProperties();
        CritterRabbitProperties.Listener listener = new CritterRabbitProperties.Listener();
        listener.setQueue("orders");
        listener.setDurable(true);
        properties.getListeners().add(listener);

        RabbitPropertiesCheck.applyListeners(properties, options);
        options.listenToRabbitQueue("payments").durable();
        options.listenToRabbitQueue("audit");

        assertThat(options.rabbitListeners().get("orders").isDurable()).isTrue();
        assertThat(options.rabbitListeners().get("payments").isDurable()).isTrue();
        assertThat(options.rabbitListeners().get("audit").isDurable()).isFalse();
    }

    @Test
    void aBadTransportSettingFailsStartUpNamingTheKey() {
        runner.withPropertyValues("critter.rabbitmq.enabled=true", "critter.rabbitmq.confirm-batch=0")
                .run(context -> assertThat(messages(context.getStartupFailure())).contains("critter.rabbitmq.confirm-batch=0 must be at least 1"));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
            if (t instanceof dev.critter.CritterConfigurationException configuration) {
                text.append("Action: ").append(configuration.fix()).append('\n');
            }
        }
        return text.toString();
    }
}
