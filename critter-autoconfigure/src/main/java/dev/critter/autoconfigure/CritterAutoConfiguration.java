package dev.critter.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.CritterOptions;
import dev.critter.IMessageBus;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.InMemoryDeadLetters;
import dev.critter.handler.MessageTypes;
import dev.critter.local.LocalTransport;
import dev.critter.local.LocalTransportSettings;
import dev.critter.local.WorkerSettings;
import dev.critter.observability.CritterObservations;
import dev.critter.observability.HandleObservationConvention;
import dev.critter.observability.SendObservationConvention;
import dev.critter.runtime.CritterRuntime;
import dev.critter.runtime.DefaultCritterDiagnostics;
import dev.critter.runtime.DefaultMessageBus;
import dev.critter.runtime.Instrumentation;
import dev.critter.runtime.MessageObserver;
import dev.critter.runtime.RuntimeSettings;
import dev.critter.scheduling.InMemoryMessageScheduler;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.testing.MessageTracking;
import dev.critter.time.TimeSource;
import dev.critter.transport.Inbox;
import dev.critter.transport.Outbox;
import dev.critter.transport.Transport;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Sets Critter up: discovers handlers, builds local queues and routes from {@code critter.*} and
 * {@link CritterConfigurer} beans, and provides the {@link IMessageBus}. Every bean backs off
 * when the application defines its own. Metrics and the actuator endpoints have their own
 * auto-configurations.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "critter.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CritterProperties.class)
public final class CritterAutoConfiguration {

    private static final boolean SLF4J_PRESENT =
            ClassUtils.isPresent("org.slf4j.MDC", CritterAutoConfiguration.class.getClassLoader());

    private static final Log logger = LogFactory.getLog(CritterAutoConfiguration.class);

    private static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /** Boot's default for {@value #PHASE_TIMEOUT}. */
    private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    // Each @ConditionalOnMissingBean names its type: without one, Boot finds the bean method again
    // by reflection to deduce it, a cost every start-up pays.
    @Bean
    @ConditionalOnMissingBean(DeadLetterStore.class)
    InMemoryDeadLetters critterDeadLetters(CritterProperties properties) {
        requirePositive("critter.dead-letters.in-memory-capacity", properties.getDeadLetters().getInMemoryCapacity());
        return new InMemoryDeadLetters(properties.getDeadLetters().getInMemoryCapacity());
    }

    /**
     * The application's {@link Clock} bean if it has one (a test clock, say), read exactly; else the
     * system clock, with a coarse clock for sent-at times. Closed (its inferred destroy method) with
     * the context, which ends the {@code critter-clock} thread.
     */
    @Bean
    @ConditionalOnMissingBean(TimeSource.class)
    TimeSource critterTimeSource(ObjectProvider<Clock> clock) {
        Clock application = clock.getIfUnique();
        return application != null ? new TimeSource(application) : TimeSource.system();
    }

    @Bean
    @ConditionalOnMissingBean(MessageScheduler.class)
    InMemoryMessageScheduler critterMessageScheduler(CritterProperties properties, TimeSource time) {
        requirePositive("critter.scheduling.in-memory-capacity", properties.getScheduling().getInMemoryCapacity());
        return new InMemoryMessageScheduler(properties.getScheduling().getInMemoryCapacity(), time);
    }

    /** The registry of known message types: handler discovery fills it, durable stores and transports read names through it. */
    @Bean
    @ConditionalOnMissingBean(MessageTypes.class)
    MessageTypes critterMessageTypes() {
        return new MessageTypes();
    }

    /** Local queues: the first transport, always present; durable queues keep their messages in the inbox, if any. */
    @Bean
    @ConditionalOnMissingBean(LocalTransport.class)
    LocalTransport critterLocalTransport(CritterProperties properties, Environment environment,
                                         ObjectProvider<Inbox> inbox) {
        return new LocalTransport(localSettings(properties, environment), inbox.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean(CritterRuntime.class)
    CritterRuntime critterRuntime(CritterProperties properties, Environment environment,
                                  ConfigurableListableBeanFactory beanFactory, ResourceLoader resourceLoader,
                                  ObjectProvider<CritterConfigurer> configurers, DeadLetterStore deadLetters,
                                  MessageScheduler scheduler, ObjectProvider<MessageObserver> observers,
                                  ObjectProvider<Transport> transports, TimeSource time,
                                  ObjectProvider<ObservationRegistry> observationRegistry,
                                  ObjectProvider<HandleObservationConvention> handleConvention,
                                  ObjectProvider<SendObservationConvention> sendConvention,
                                  MessageTypes messageTypes, ObjectProvider<Outbox> outbox) {
        RuntimeSettings settings = settings(properties, environment, beanFactory);
        Supplier<CritterOptions> options = () -> {
            CritterOptions configured = new CritterOptions();
            new CritterPropertiesMapper().apply(properties, configured);
            configurers.orderedStream().forEach(configurer -> configurer.configure(configured));
            return configured;
        };
        Supplier<List<MessageObserver>> allObservers = () -> observers.orderedStream().toList();
        Supplier<Instrumentation> instrumentation = () -> {
            // Decided once: with no registry, or one without handlers, the hot path skips observations.
            ObservationRegistry registry = observationRegistry.getIfUnique();
            CritterObservations observations = registry == null || registry.isNoop() ? null
                    : new CritterObservations(registry, handleConvention.getIfUnique(), sendConvention.getIfUnique());
            CritterProperties.Mdc mdc = SLF4J_PRESENT ? mdc(properties.getLogging().getMdc()) : CritterProperties.Mdc.NONE;
            return new Instrumentation(observations, mdc != CritterProperties.Mdc.NONE, mdc == CritterProperties.Mdc.ALL);
        };
        ClassLoader classLoader = beanFactory.getBeanClassLoader() != null ? beanFactory.getBeanClassLoader()
                : CritterAutoConfiguration.class.getClassLoader();
        return new CritterRuntime(settings, options, new CritterRuntime.Collaborators(beanFactory,
                classLoader, resourceLoader, transports.orderedStream().toList(), deadLetters, scheduler, allObservers,
                time, instrumentation, messageTypes, outbox.getIfUnique()));
    }

    @Bean
    @ConditionalOnMissingBean(IMessageBus.class)
    DefaultMessageBus messageBus(CritterRuntime runtime) {
        return new DefaultMessageBus(runtime);
    }

    @Bean
    @ConditionalOnMissingBean(MessageTracking.class)
    MessageTracking messageTracking(IMessageBus messageBus) {
        return new MessageTracking(messageBus);
    }

    @Bean
    @ConditionalOnMissingBean(CritterDiagnostics.class)
    DefaultCritterDiagnostics critterDiagnostics(CritterRuntime runtime, ObjectProvider<LocalTransport> local) {
        return new DefaultCritterDiagnostics(runtime, () -> {
            LocalTransport transport = local.getIfUnique();
            return transport == null ? List.of() : transport.describeQueues();
        });
    }

    static RuntimeSettings settings(CritterProperties properties, Environment environment,
                                    ConfigurableListableBeanFactory beanFactory) {
        UnknownSettingsCheck.check(environment, beanFactory.getBeanClassLoader());
        List<String> basePackages = properties.getHandlers().getBasePackages();
        if (basePackages.isEmpty()) {
            if (!AutoConfigurationPackages.has(beanFactory)) {
                throw new CritterConfigurationException("critter.handlers.base-packages is not set and the application "
                        + "has no @SpringBootApplication (or @AutoConfigurationPackage) package to scan",
                        "Set critter.handlers.base-packages to the packages holding your handlers");
            }
            basePackages = AutoConfigurationPackages.get(beanFactory);
        }
        requirePositive("critter.invoke.timeout", properties.getInvoke().getTimeout());
        String serviceName = properties.getServiceName() != null ? properties.getServiceName()
                : environment.getProperty("spring.application.name", "critter");
        return new RuntimeSettings(basePackages, serviceName, properties.getInvoke().getTimeout(),
                shutdownTimeout(properties.getShutdownTimeout(), environment), properties.getErrors().getRetryCooldowns());
    }

    static LocalTransportSettings localSettings(CritterProperties properties, Environment environment) {
        CritterProperties.Local local = properties.getLocal();
        int parallelism = local.getDefaultParallelism() != null ? local.getDefaultParallelism()
                : Runtime.getRuntime().availableProcessors();
        requirePositive("critter.local.default-parallelism", parallelism);
        requirePositive("critter.local.default-capacity", local.getDefaultCapacity());
        requirePositive("critter.local.publish-timeout", local.getPublishTimeout());
        requirePositive("critter.local.worker-idle-timeout", local.getWorkerIdleTimeout());
        Duration spin = local.getWorkerSpin();
        if (spin.isNegative() || spin.compareTo(MAX_WORKER_SPIN) > 0) {
            throw new InvalidConfigurationPropertyValueException("critter.local.worker-spin", spin,
                    "Must be between 0 (park at once) and 10ms, e.g. 50us: a longer spin holds a core for nothing.");
        }
        return new LocalTransportSettings(parallelism, local.getDefaultCapacity(), local.getPublishTimeout(),
                local.getQueues().keySet(),
                new WorkerSettings(local.getWorkerIdleTimeout(), Threading.VIRTUAL.isActive(environment), spin));
    }

    /**
     * Resolves {@code auto}: queued handlers get the MDC entries only when the logging backend may
     * write them, since putting them costs more than the rest of a queued message's handling.
     */
    static CritterProperties.Mdc mdc(CritterProperties.Mdc configured) {
        if (configured != CritterProperties.Mdc.AUTO) {
            return configured;
        }
        String unread = MdcReaders.whyUnread();
        if (unread == null) {
            return CritterProperties.Mdc.QUEUED;
        }
        if (logger.isDebugEnabled()) {
            logger.debug("critter.logging.mdc=auto: handlers run without Critter's MDC entries (" + unread
                    + "); set critter.logging.mdc=queued to have them anyway");
        }
        return CritterProperties.Mdc.NONE;
    }

    /**
     * Spring's lifecycle processor waits for each shutdown phase at most
     * {@code spring.lifecycle.timeout-per-shutdown-phase} (Boot's default 30s), then moves on and
     * destroys beans that handlers may still use. Critter's drain is clamped to that limit, so it
     * always ends, and names the messages it abandons, before Spring gives up on it.
     */
    static Duration shutdownTimeout(Duration configured, Environment environment) {
        Duration phase = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(DEFAULT_PHASE_TIMEOUT);
        if (configured.compareTo(phase) > 0) {
            logger.warn("critter.shutdown-timeout=" + configured + " is longer than " + PHASE_TIMEOUT + "=" + phase
                    + ", after which Spring stops waiting for Critter; Critter drains for at most " + phase
                    + ". Raise " + PHASE_TIMEOUT + " to let it drain longer");
            return phase;
        }
        return configured;
    }

    /** A worker spinning longer than this holds a core for nothing: a parked thread is woken well within it. */
    private static final Duration MAX_WORKER_SPIN = Duration.ofMillis(10);

    /** Boot's failure analyzer reports these with the file and line the value came from. */
    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new InvalidConfigurationPropertyValueException(key, value, "Must be at least 1.");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(key, value, "Must be positive, e.g. 5s.");
        }
    }
}
