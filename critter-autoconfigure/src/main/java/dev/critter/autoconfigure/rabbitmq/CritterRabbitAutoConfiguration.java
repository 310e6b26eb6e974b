package dev.critter.autoconfigure.rabbitmq;

import dev.critter.CritterConfigurationException;
import dev.critter.DeadLetter;
import dev.critter.CritterConfigurer;
import dev.critter.actuate.CritterRabbitHealthIndicator;
import dev.critter.handler.MessageTypes;
import dev.critter.rabbitmq.RabbitSettings;
import dev.critter.runtime.MessageObserver;
import dev.critter.rabbitmq.RabbitTransport;
import dev.critter.serialization.MessageBodies;
import dev.critter.transport.Inbox;
import dev.critter.autoconfigure.CritterAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * Switches Critter's RabbitMQ transport on when spring-rabbit is on the classpath and
 * {@code critter.rabbitmq.enabled=true}: a {@link RabbitTransport} on Spring Boot's
 * {@link ConnectionFactory} ({@code spring.rabbitmq.*}), and the listeners of
 * {@code critter.rabbitmq.listeners[*]} applied before the application's {@link CritterConfigurer}s.
 */
@AutoConfiguration(after = CritterAutoConfiguration.class, afterName = {
        "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(ConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "critter.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "critter.rabbitmq.enabled")
@EnableConfigurationProperties(CritterRabbitProperties.class)
public final class CritterRabbitAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RabbitTransport critterRabbitTransport(ObjectProvider<ConnectionFactory> connectionFactory,
                                           CritterRabbitProperties properties, ObjectProvider<JsonMapper> mapper,
                                           MessageTypes messageTypes, ObjectProvider<Inbox> inbox) {
        ConnectionFactory connections = connectionFactory.getIfUnique();
        if (connections == null) {
            throw new CritterConfigurationException(
                    "critter.rabbitmq.enabled=true but the application has no single RabbitMQ ConnectionFactory",
                    "Add spring-boot-starter-amqp (Boot then makes one from spring.rabbitmq.*), or mark one @Primary");
        }
        RabbitSettings settings = RabbitPropertiesCheck.resolve(properties);
        return new RabbitTransport(connections, settings,
                new MessageBodies(mapper.getIfUnique(() -> JsonMapper.builder().build()), messageTypes),
                inbox.getIfUnique());
    }

    /** Counts the dead letters of messages a listener delivered on that listener's figures. */
    @Bean
    @ConditionalOnMissingBean(name = "critterRabbitListenerDeadLetters")
    MessageObserver critterRabbitListenerDeadLetters(RabbitTransport transport) {
        return new MessageObserver() {
            @Override
            public void deadLettered(DeadLetter deadLetter) {
                transport.countDeadLettered(deadLetter.destination());
            }
        };
    }

    /** Properties first, so the application's own configurers (which run after) win. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    CritterConfigurer critterRabbitListenerProperties(CritterRabbitProperties properties) {
        return options -> RabbitPropertiesCheck.applyListeners(properties, options);
    }

    /** Per-listener meters {@code critter.rabbitmq.listener.*} when the application has a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(MeterRegistry.class)
    static class Metrics {

        /** The meters register when their bean is made: also in a lazily initialized context. */
        @Bean
        static LazyInitializationExcludeFilter critterRabbitListenerMetersEagerly() {
            return LazyInitializationExcludeFilter.forBeanTypes(RabbitListenerMetrics.class);
        }

        @Bean
        @ConditionalOnMissingBean
        RabbitListenerMetrics critterRabbitListenerMetrics(RabbitTransport transport, MeterRegistry registry) {
            transport.bindMetrics(registry);
            return new RabbitListenerMetrics(registry);
        }
    }

    /** Health contributor {@code critterRabbitmq} when Spring Boot's health support is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("critter-rabbitmq")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "critterRabbitmqHealthIndicator")
        CritterRabbitHealthIndicator critterRabbitmqHealthIndicator(RabbitTransport transport) {
            return new CritterRabbitHealthIndicator(transport);
        }
    }
}
