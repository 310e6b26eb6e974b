package dev.critter.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.LocalQueueDescription;
import dev.critter.CritterOptions;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.autoconfigure.handlers.SampleHandlers;
import dev.critter.autoconfigure.handlers.SampleHandlers.AlwaysFails;
import dev.critter.autoconfigure.handlers.SampleHandlers.AuditEntry;
import dev.critter.autoconfigure.handlers.SampleHandlers.Orders;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.InMemoryDeadLetters;
import dev.critter.runtime.CritterRuntime;
import dev.critter.runtime.DefaultMessageBus;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CritterAutoConfiguration}: what it provides, when it backs off, how {@code critter.*}
 * binds and how Java configuration wins over it.
 */
class CritterAutoConfigurationTests {

    private final ApplicationContextRunner runner = CritterContexts.scanning(SampleHandlers.class);

    @Test
    void isListedInAutoConfigurationImports() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(CritterAutoConfiguration.class.getName());
    }

    @Test
    void providesTheBusTrackingDeadLettersDiagnosticsAndRuntimeByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(IMessageBus.class)
                    .hasSingleBean(MessageTracking.class)
                    .hasSingleBean(DeadLetters.class)
                    .hasSingleBean(CritterDiagnostics.class)
                    .hasSingleBean(CritterRuntime.class)
                    .hasSingleBean(MessageScheduler.class);
            assertThat(context.getBean(IMessageBus.class)).isInstanceOf(DefaultMessageBus.class);
            assertThat(context.getBean(DeadLetters.class)).isInstanceOf(InMemoryDeadLetters.class);
            assertThat(context.getBean(CritterRuntime.class).isRunning()).isTrue();
        });
    }

    @Test
    void critterEnabledFalseProvidesNothingAndNeedsNoPackages() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class))
                .withPropertyValues("critter.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(IMessageBus.class)
                        .doesNotHaveBean(MessageTracking.class)
                        .doesNotHaveBean(DeadLetters.class)
                        .doesNotHaveBean(CritterDiagnostics.class)
                        .doesNotHaveBean(CritterRuntime.class)
                        .doesNotHaveBean(MessageScheduler.class)
                        .doesNotHaveBean(CritterProperties.class));
    }

    @Test
    void aUserMessageBusReplacesCrittersAndTrackingUsesIt() {
        RecordingBus userBus = new RecordingBus();
        runner.withBean(IMessageBus.class, () -> userBus).run(context -> {
            assertThat(context).hasSingleBean(IMessageBus.class).doesNotHaveBean(DefaultMessageBus.class);
            assertThat(context.getBean(IMessageBus.class)).isSameAs(userBus);
            context.getBean(MessageTracking.class).publishAndWait(new Orders("o-1"));
            assertThat(userBus.published).containsExactly(new Orders("o-1"));
        });
    }

    @Test
    void aUserDeadLetterStoreReplacesTheInMemoryOneAndReceivesDeadLetters() {
        RecordingDeadLetters userStore = new RecordingDeadLetters();
        runner.withPropertyValues("critter.errors.retry-cooldowns=")
                .withBean(DeadLetterStore.class, () -> userStore)
                .run(context -> {
                    assertThat(context).hasSingleBean(DeadLetters.class).doesNotHaveBean(InMemoryDeadLetters.class);
                    context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new AlwaysFails("f-1"));
                    assertThat(userStore.added).singleElement()
                            .satisfies(letter -> assertThat(letter.envelope().message()).isEqualTo(new AlwaysFails("f-1")));
                });
    }

    @Test
    void userTrackingAndDiagnosticsBeansWin() {
        CritterDiagnostics diagnostics = new CritterDiagnostics() {
            @Override public List<HandlerChainDescription> handlerChains() { return List.of(); }
            @Override public Map<String, List<String>> routes() { return Map.of(); }
            @Override public List<LocalQueueDescription> localQueues() { return List.of(); }
        };
        runner.withBean(CritterDiagnostics.class, () -> diagnostics)
                .withBean("userTracking", MessageTracking.class, () -> new MessageTracking(new RecordingBus()))
                .run(context -> {
                    assertThat(context.getBean(CritterDiagnostics.class)).isSameAs(diagnostics);
                    assertThat(context).hasSingleBean(MessageTracking.class).hasBean("userTracking");
                });
    }

    @Test
    void queuePropertiesBindAndShowInDiagnostics() {
        runner.withPropertyValues(
                "critter.local.queues.orders.parallelism=3",
                "critter.local.queues.orders.capacity=50",
                "critter.local.queues.audit-entry.sequential=true",
                "critter.local.queues.stock-changed.partition-by=productId",
                "critter.local.queues.stock-changed.parallelism=2",
                "critter.local.default-parallelism=4")
                .run(context -> {
                    Map<String, LocalQueueDescription> queues = queues(context);
                    assertThat(queues.get("orders")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::capacity, LocalQueueDescription::mode).containsExactly(3, 50, "parallel");
                    assertThat(queues.get("audit-entry")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::capacity, LocalQueueDescription::mode)
                            .containsExactly(1, 10_000, "sequential");
                    assertThat(queues.get("stock-changed")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::mode).containsExactly(2, "partitioned");
                    assertThat(queues.get("always-fails")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::mode).containsExactly(4, "parallel");
                });
    }

    @Test
    void aCritterConfigurerOverridesThePropertiesOfTheSameQueue() {
        CritterConfigurer java = o -> {
            o.localQueue("orders").maximumParallelMessages(7);
            o.localQueueFor(AuditEntry.class).sequential();
            o.localQueue("stock-changed").maximumParallelMessages(5);
        };
        runner.withPropertyValues(
                "critter.local.queues.orders.parallelism=3",
                "critter.local.queues.orders.capacity=50",
                "critter.local.queues.audit-entry.parallelism=4",
                "critter.local.queues.stock-changed.sequential=true")
                .withBean(CritterConfigurer.class, () -> java)
                .run(context -> {
                    Map<String, LocalQueueDescription> queues = queues(context);
                    assertThat(queues.get("orders")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::capacity, LocalQueueDescription::mode).containsExactly(7, 50, "parallel");
                    assertThat(queues.get("audit-entry")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::mode).containsExactly(1, "sequential");
                    assertThat(queues.get("stock-changed")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::mode).containsExactly(5, "parallel");
                });
    }

    @Test
    void configurersRunInOrderSoTheLastOneWins() {
        runner.withBean("late", OrderedConfigurer.class, () -> new OrderedConfigurer(10,
                        o -> o.localQueue("orders").maximumParallelMessages(9)))
                .withBean("early", OrderedConfigurer.class, () -> new OrderedConfigurer(1,
                        o -> o.localQueue("orders").maximumParallelMessages(2).capacity(70)))
                .run(context -> assertThat(queues(context).get("orders"))
                        .extracting(LocalQueueDescription::parallelism, LocalQueueDescription::capacity)
                        .containsExactly(9, 70));
    }

    @Test
    void defaultCapacityAndParallelismApplyToConventionalQueues() {
        runner.withPropertyValues("critter.local.default-capacity=123", "critter.local.default-parallelism=2",
                        "critter.local.queues.orders.capacity=50")
                .run(context -> {
                    Map<String, LocalQueueDescription> queues = queues(context);
                    assertThat(queues).containsOnlyKeys("orders", "stock-changed", "audit-entry", "always-fails");
                    assertThat(queues.values()).filteredOn(q -> !q.name().equals("orders"))
                            .allSatisfy(q -> assertThat(q).extracting(LocalQueueDescription::parallelism,
                                    LocalQueueDescription::capacity, LocalQueueDescription::mode)
                                    .containsExactly(2, 123, "parallel"));
                    assertThat(queues.get("orders")).extracting(LocalQueueDescription::parallelism,
                            LocalQueueDescription::capacity).containsExactly(2, 50);
                });
    }

    @Test
    void conventionalQueuesDefaultToTheAvailableProcessorsAndTenThousandMessages() {
        runner.run(context -> assertThat(queues(context).get("orders"))
                .extracting(LocalQueueDescription::parallelism, LocalQueueDescription::capacity,
                        LocalQueueDescription::mode, LocalQueueDescription::durable)
                .containsExactly(Runtime.getRuntime().availableProcessors(), 10_000, "parallel", false));
    }

    @Test
    void theEnvelopeSourceIsTheServiceNameElseTheApplicationName() {
        runner.withPropertyValues("spring.application.name=shop").run(context ->
                assertThat(sourceOfPublished(context)).isEqualTo("shop"));
        runner.withPropertyValues("spring.application.name=shop", "critter.service-name=orders-service")
                .run(context -> assertThat(sourceOfPublished(context)).isEqualTo("orders-service"));
        runner.run(context -> assertThat(sourceOfPublished(context)).isEqualTo("critter"));
    }

    @Test
    void aNonPositiveInvokeTimeoutOrPublishTimeoutFailsWithBootsInvalidPropertyValueNamingTheKey() {
        runner.withPropertyValues("critter.invoke.timeout=0s").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("critter.invoke.timeout"));
        runner.withPropertyValues("critter.local.publish-timeout=-1s").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("critter.local.publish-timeout"));
    }

    @Test
    void aWorkerSpinBelowZeroOrAboveTenMillisecondsFailsNamingTheKeyAndZeroSwitchesSpinningOff() {
        runner.withPropertyValues("critter.local.worker-spin=11ms").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("critter.local.worker-spin").hasMessageContaining("10ms"));
        runner.withPropertyValues("critter.local.worker-spin=-1us").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("critter.local.worker-spin"));
        runner.withPropertyValues("critter.local.worker-spin=0").run(context ->
                assertThat(sourceOfPublished(context)).isEqualTo("critter"));
    }

    private static String sourceOfPublished(AssertableApplicationContext context) {
        TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Orders("o-1"));
        return session.executed().envelopes().get(0).source();
    }

    private static Map<String, LocalQueueDescription> queues(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(CritterDiagnostics.class).localQueues().stream()
                .collect(Collectors.toMap(LocalQueueDescription::name, q -> q));
    }

    /** A configurer with an order, as a user would declare with {@code @Order}. */
    static final class OrderedConfigurer implements CritterConfigurer, Ordered {
        private final int order;
        private final Consumer<CritterOptions> body;

        OrderedConfigurer(int order, Consumer<CritterOptions> body) {
            this.order = order;
            this.body = body;
        }

        @Override
        public void configure(CritterOptions options) {
            body.accept(options);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    /** A user's own bus: records what is published. */
    static final class RecordingBus implements IMessageBus {
        final List<Object> published = new CopyOnWriteArrayList<>();

        @Override public void publish(Object message) { published.add(message); }
        @Override public void publish(Object message, dev.critter.DeliveryOptions options) { published.add(message); }
        @Override public void send(Object message) { published.add(message); }
        @Override public void send(Object message, dev.critter.DeliveryOptions options) { published.add(message); }
        @Override public void invoke(Object message) { published.add(message); }
        @Override public <T> T invoke(Object message, Class<T> responseType) { throw new UnsupportedOperationException(); }
        @Override public CompletableFuture<Void> invokeAsync(Object message) { return CompletableFuture.completedFuture(null); }
        @Override public <T> CompletableFuture<T> invokeAsync(Object message, Class<T> responseType) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
        @Override public void schedule(Object message, Instant at) { published.add(message); }
        @Override public void schedule(Object message, Duration delay) { published.add(message); }
    }

    /** A user's own dead-letter store: records what is added. */
    static final class RecordingDeadLetters implements DeadLetterStore {
        final List<DeadLetter> added = new CopyOnWriteArrayList<>();
        private final InMemoryDeadLetters delegate = new InMemoryDeadLetters(10);

        @Override public void add(DeadLetter deadLetter) { added.add(deadLetter); delegate.add(deadLetter); }
        @Override public void replayWith(Consumer<DeadLetter> replayer) { delegate.replayWith(replayer); }
        @Override public List<DeadLetter> list() { return delegate.list(); }
        @Override public List<DeadLetter> list(String messageType) { return delegate.list(messageType); }
        @Override public Optional<DeadLetter> find(UUID id) { return delegate.find(id); }
        @Override public boolean replay(UUID id) { return delegate.replay(id); }
        @Override public boolean discard(UUID id) { return delegate.discard(id); }
        @Override public long count() { return delegate.count(); }
        @Override public long evicted() { return delegate.evicted(); }
    }
}
