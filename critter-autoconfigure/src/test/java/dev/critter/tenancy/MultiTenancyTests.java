package dev.critter.tenancy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.TenantId;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.critter.observability.CritterMetricNames.MESSAGES_HANDLED;
import static dev.critter.observability.CritterMetricNames.MESSAGES_PUBLISHED;
import static dev.critter.observability.CritterMetricNames.MESSAGE_TYPE;
import static dev.critter.observability.CritterMetricNames.NO_TENANT;
import static dev.critter.observability.CritterMetricNames.OUTCOME;
import static dev.critter.observability.CritterMetricNames.SUCCESS;
import static dev.critter.observability.CritterMetricNames.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant id (SPEC §11) travels on the envelope, is inherited by cascades however they are
 * published, is injected with {@code @TenantId} and tags the metrics.
 */
class MultiTenancyTests {

    public record RegisterCustomer(String id) { }
    public record CustomerRegistered(String id) { }
    public record SendWelcome(String id) { }

    /** Tenant each handler was given, by handler and customer id ("none" for null). */
    static final Map<String, String> tenants = new ConcurrentHashMap<>();

    public static class RegistrationHandler {
        public CustomerRegistered handle(RegisterCustomer command, @TenantId String tenant) {
            tenants.put("register:" + command.id(), String.valueOf(tenant));
            return new CustomerRegistered(command.id());
        }
    }

    /** Cascades through a service that holds the singleton bus, not through its return value. */
    public static class WelcomePolicyHandler {
        private final WelcomeService service;

        public WelcomePolicyHandler(IMessageBus bus) {
            this.service = new WelcomeService(bus);
        }

        public void handle(CustomerRegistered event, @TenantId String tenant) {
            tenants.put("registered:" + event.id(), String.valueOf(tenant));
            service.welcome(event.id());
        }
    }

    static final class WelcomeService {
        private final IMessageBus bus;

        WelcomeService(IMessageBus bus) {
            this.bus = bus;
        }

        void welcome(String customerId) {
            bus.publish(new SendWelcome(customerId));
        }
    }

    public static class WelcomeMailHandler {
        public void handle(SendWelcome command, @TenantId String tenant) {
            tenants.put("welcome:" + command.id(), String.valueOf(tenant));
        }
    }

    @BeforeEach
    void reset() {
        tenants.clear();
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(MultiTenancyTests.class).withBean(SimpleMeterRegistry.class);
    }

    private static TrackedSession register(AssertableApplicationContext context, String customer, String tenant) {
        IMessageBus bus = context.getBean(IMessageBus.class);
        DeliveryOptions options = tenant == null ? DeliveryOptions.none()
                : DeliveryOptions.builder().tenantId(tenant).build();
        return context.getBean(MessageTracking.class)
                .executeAndWait(() -> bus.publish(new RegisterCustomer(customer), options));
    }

    private static Envelope envelopeOf(TrackedSession session, Class<?> type) {
        List<Envelope> envelopes = session.executed().envelopes().stream()
                .filter(e -> type.isInstance(e.message())).toList();
        assertThat(envelopes).as("executed %s", type.getSimpleName()).hasSize(1);
        return envelopes.get(0);
    }

    @Test
    void theTenantSetOnPublishIsOnTheEnvelope() {
        runner().run(context -> {
            TrackedSession session = register(context, "c-1", "acme");
            assertThat(envelopeOf(session, RegisterCustomer.class).tenantId()).isEqualTo("acme");
        });
    }

    @Test
    void cascadesTwoLevelsDeepInheritTheTenant() {
        runner().run(context -> {
            TrackedSession session = register(context, "c-1", "acme");
            Envelope first = envelopeOf(session, RegisterCustomer.class);
            Envelope second = envelopeOf(session, CustomerRegistered.class);
            Envelope third = envelopeOf(session, SendWelcome.class);
            assertThat(List.of(first, second, third)).extracting(Envelope::tenantId).containsOnly("acme");
            assertThat(second.causationId()).isEqualTo(first.id());
            assertThat(third.causationId()).isEqualTo(second.id());
        });
    }

    @Test
    void handlersReceiveTheTenantThroughTenantIdAtEveryLevel() {
        runner().run(context -> {
            register(context, "c-1", "acme");
            assertThat(tenants).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "register:c-1", "acme", "registered:c-1", "acme", "welcome:c-1", "acme"));
        });
    }

    @Test
    void eachTenantsCascadesKeepTheirOwnTenant() {
        runner().run(context -> {
            register(context, "c-1", "acme");
            register(context, "c-2", "globex");
            register(context, "c-3", null);
            assertThat(tenants).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "register:c-1", "acme", "registered:c-1", "acme", "welcome:c-1", "acme",
                    "register:c-2", "globex", "registered:c-2", "globex", "welcome:c-2", "globex",
                    "register:c-3", "null", "registered:c-3", "null", "welcome:c-3", "null"));
        });
    }

    @Test
    void withTenantTagOnTheHandledTimerAndPublishedCounterAreTaggedWithTheTenant() {
        runner().withPropertyValues("critter.metrics.tenant-tag=true").run(context -> {
            register(context, "c-1", "acme");
            register(context, "c-2", "acme");
            register(context, "c-3", "globex");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (Class<?> type : List.of(RegisterCustomer.class, CustomerRegistered.class, SendWelcome.class)) {
                assertThat(handledCount(registry, type, "acme")).as("%s for acme", type.getSimpleName()).isEqualTo(2);
                assertThat(handledCount(registry, type, "globex")).as("%s for globex", type.getSimpleName()).isEqualTo(1);
                assertThat(registry.find(MESSAGES_PUBLISHED).tag(MESSAGE_TYPE, type.getName()).tag(TENANT, "acme")
                        .counter().count()).isEqualTo(2);
            }
            assertThat(registry.find(MESSAGES_HANDLED).tag(TENANT, NO_TENANT).timers()).isEmpty();
        });
    }

    @Test
    void byDefaultMetersCarryNoTenantTagBecauseTenantsAreUnbounded() {
        runner().run(context -> {
            register(context, "c-1", "acme");
            register(context, "c-2", "globex");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(handledCount(registry, SendWelcome.class, null)).isEqualTo(2);
            assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("critter.messages."))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getId().getTag(TENANT)).isNull());
            // the envelope still carries the tenant: only the tag is off
            assertThat(tenants).containsEntry("welcome:c-1", "acme");
        });
    }

    private static long handledCount(MeterRegistry registry, Class<?> type, @Nullable String tenant) {
        Search search = registry.find(MESSAGES_HANDLED).tag(MESSAGE_TYPE, type.getName()).tag(OUTCOME, SUCCESS);
        Timer timer = (tenant != null ? search.tag(TENANT, tenant) : search).timer();
        return timer == null ? 0 : timer.count();
    }
}
