package dev.critter.injection.parameters;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.Header;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.TenantId;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler parameters after the message are resolved once at start-up: beans by type (honouring
 * {@code @Qualifier}), and per message the context, bus, envelope, tenant id and headers.
 */
class MethodInjectionTests {

    public record Greet(String name) { }
    public record Notify(String text) { }
    public record Inspect(String id) { }
    public record Outer(String id, boolean fail) { }
    public record Inner(String id) { }

    /** A bean the context has exactly one of. */
    public static class Greeter {
    }

    /** The context has two: {@code email} and {@code sms}. */
    public record Channel(String name) {
    }

    /** What {@link InspectHandler} received. */
    record Inspected(MessageContext context, Envelope envelope, @Nullable String tenant, @Nullable String header,
                     @Nullable String absentHeader, @Nullable String contextTenant, int attempts) {
    }

    static final AtomicReference<Object> greeter = new AtomicReference<>();
    static final AtomicReference<Object> channel = new AtomicReference<>();
    static final AtomicReference<Inspected> inspected = new AtomicReference<>();
    static final AtomicReference<IMessageBus> injectedBus = new AtomicReference<>();

    public static class GreetHandler {
        public void handle(Greet greet, Greeter injected) {
            greeter.set(injected);
        }
    }

    public static class NotifyHandler {
        public void handle(Notify notify, @Qualifier("sms") Channel injected) {
            channel.set(injected);
        }
    }

    public static class InspectHandler {
        public void handle(Inspect message, MessageContext context, Envelope envelope, @TenantId String tenant,
                           @Header("x") String x, @Header("absent") String absent) {
            inspected.set(new Inspected(context, envelope, tenant, x, absent, context.tenantId(), context.attempts()));
        }
    }

    public static class OuterHandler {
        public void handle(Outer outer, IMessageBus bus) {
            injectedBus.set(bus);
            bus.publish(new Inner(outer.id()));
            if (outer.fail()) {
                throw new IllegalStateException("outer " + outer.id() + " failed after publishing");
            }
        }
    }

    public static class InnerHandler {
        public void handle(Inner inner) {
        }
    }

    @BeforeEach
    void reset() {
        greeter.set(null);
        channel.set(null);
        inspected.set(null);
        injectedBus.set(null);
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(MethodInjectionTests.class)
                .withBean(Greeter.class)
                .withBean("email", Channel.class, () -> new Channel("email"))
                .withBean("sms", Channel.class, () -> new Channel("sms"));
    }

    private static MessageTracking tracking(AssertableApplicationContext context) {
        return context.getBean(MessageTracking.class);
    }

    @Test
    void injectsTheBeanOfTheParameterType() {
        runner().run(context -> {
            tracking(context).publishAndWait(new Greet("ada"));
            assertThat(greeter.get()).isSameAs(context.getBean(Greeter.class));
        });
    }

    @Test
    void injectsTheQualifiedBeanAmongTwoOfTheSameType() {
        runner().run(context -> {
            tracking(context).publishAndWait(new Notify("hi"));
            assertThat(channel.get()).isSameAs(context.getBean("sms"));
            assertThat(parametersOf(context, Notify.class)).containsExactly("Notify: the message",
                    "Channel: bean 'sms' (Channel)");
        });
    }

    @Test
    void injectsTheMessageContextEnvelopeTenantIdAndHeadersOfTheHandledMessage() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            TrackedSession session = tracking(context).executeAndWait(() -> bus.publish(new Inspect("i-1"),
                    DeliveryOptions.builder().header("x", "1").tenantId("acme").build()));
            Envelope handled = session.executed().envelopes().get(0);
            Inspected seen = inspected.get();
            assertThat(seen.envelope().id()).isEqualTo(handled.id());
            assertThat(seen.envelope().message()).isEqualTo(new Inspect("i-1"));
            assertThat(seen.envelope().headers()).containsEntry("x", "1");
            assertThat(seen.context().envelope().id()).isEqualTo(handled.id());
            assertThat(seen.tenant()).isEqualTo("acme");
            assertThat(seen.contextTenant()).isEqualTo("acme");
            assertThat(seen.header()).isEqualTo("1");
            assertThat(seen.absentHeader()).isNull();
            assertThat(seen.attempts()).isEqualTo(1);
        });
    }

    @Test
    void injectsNullForATenantIdAndAHeaderTheMessageDoesNotCarry() {
        runner().run(context -> {
            tracking(context).invokeAndWait(new Inspect("i-2"));
            assertThat(inspected.get().tenant()).isNull();
            assertThat(inspected.get().header()).isNull();
            assertThat(inspected.get().envelope().message()).isEqualTo(new Inspect("i-2"));
        });
    }

    @Test
    void anInjectedMessageBusIsTheHandlersContext() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            TrackedSession session = tracking(context).executeAndWait(() -> bus.publish(new Outer("o-1", false),
                    DeliveryOptions.builder().tenantId("acme").correlationId("corr-7").build()));
            Envelope outer = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof Outer).findFirst().orElseThrow();
            Envelope inner = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof Inner).findFirst().orElseThrow();
            assertThat(injectedBus.get()).isInstanceOf(MessageContext.class).isNotSameAs(bus);
            assertThat(((MessageContext) injectedBus.get()).envelope().id()).isEqualTo(outer.id());
            assertThat(inner.tenantId()).isEqualTo("acme");
            assertThat(inner.correlationId()).isEqualTo("corr-7");
            assertThat(inner.causationId()).isEqualTo(outer.id());
        });
    }

    @Test
    void whatAHandlerPublishesThroughTheInjectedBusIsDroppedWhenTheHandlerFails() {
        runner().withPropertyValues("critter.errors.retry-cooldowns=").run(context -> {
            TrackedSession session = tracking(context).allowingFailures().publishAndWait(new Outer("o-2", true));
            assertThat(session.deadLettered().singleMessage(Outer.class)).isEqualTo(new Outer("o-2", true));
            assertThat(session.all().messagesOf(Inner.class)).isEmpty();
        });
    }

    @Test
    void diagnosticsDescribeHowEachParameterIsResolved() {
        runner().run(context -> assertThat(parametersOf(context, Inspect.class)).containsExactly(
                "Inspect: the message", "MessageContext: the message context", "Envelope: the envelope",
                "String: the tenant id", "String: header 'x'", "String: header 'absent'"));
    }

    private static List<String> parametersOf(AssertableApplicationContext context, Class<?> messageType) {
        return context.getBean(CritterDiagnostics.class).handlerChains().stream()
                .filter(c -> c.messageType().equals(messageType.getName())).findFirst()
                .map(HandlerChainDescription::parameters).orElseThrow();
    }
}
