package dev.critter.discovery.conventions;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.CritterHandler;
import dev.critter.IMessageBus;
import dev.critter.NoHandlerException;
import dev.critter.NotHandler;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedEvent;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The handler discovery rules of SPEC §2, one by one. Every class nested here is scanned; each
 * rule has its own message type so a handler that should not exist shows up as a handler that ran.
 */
class HandlerConventionTests {

    public record PlaceOrder(String id) { }
    public record TakePayment(String id) { }
    public record Ship(String id) { }
    public record Refund(String id) { }
    public record Notify(String id) { }
    public record Audit(String id) { }
    public record Hidden(String id) { }
    public record Secret(String id) { }
    public record Abstracted(String id) { }
    public record Inherited(String id) { }
    public record Contracted(String id) { }
    public record Invoice(String id) { }
    public record InternalInvoice(String id) { }
    public record Ignored(String id) { }
    public record Kept(String id) { }
    public record Skipped(String id) { }
    public record Processed(String id) { }
    public record Packaged(String id) { }
    public record OrderShipped(String id) { }

    public interface DomainEvent { }
    public record CustomerJoined(String id) implements DomainEvent { }
    public record CustomerLeft(String id) implements DomainEvent { }

    public static class Shape { }
    public static final class Circle extends Shape { }

    public static class OrderHandler {
        public void handle(PlaceOrder command) {
        }

        public void process(Processed processed) {
        }

        void handle(Packaged packaged) {
        }
    }

    public static class PaymentConsumer {
        public void consume(TakePayment command) {
        }
    }

    public static class ShippingHandler {
        public static void handle(Ship command) {
        }
    }

    public static class RefundHandler {
        public CompletableFuture<Void> handleAsync(Refund command) {
            return CompletableFuture.runAsync(() -> { });
        }
    }

    public static class NotificationConsumer {
        public static CompletableFuture<Void> consumeAsync(Notify command) {
            return CompletableFuture.completedFuture(null);
        }
    }

    public static class AuditConsumer {
        public static void consume(Audit audit) {
        }
    }

    static class HiddenHandler {
        public void handle(Hidden hidden) {
        }
    }

    private static class SecretConsumer {
        public void handle(Secret secret) {
        }
    }

    public abstract static class AbstractHandler {
        public void handle(Abstracted abstracted) {
        }
    }

    public abstract static class BaseHandler {
        public void handle(Inherited inherited) {
        }
    }

    public static class ConcreteHandler extends BaseHandler {
    }

    public interface ContractHandler {
        default void handle(Contracted contracted) {
        }
    }

    @CritterHandler
    public static class Billing {
        public void handle(Invoice invoice) {
        }
    }

    @CritterHandler
    static class InternalBilling {
        public void handle(InternalInvoice invoice) {
        }
    }

    @NotHandler
    public static class IgnoredHandler {
        public void handle(Ignored ignored) {
        }
    }

    public static class PartlyHandler {
        public void handle(Kept kept) {
        }

        @NotHandler
        public void handle(Skipped skipped) {
        }
    }

    public static class ShipmentTrackingHandler {
        public void handle(OrderShipped event) {
        }
    }

    public static class WarehouseConsumer {
        public void consume(OrderShipped event) {
        }
    }

    public static class CustomerMailHandler {
        public static void handle(OrderShipped event) {
        }

        public void handle(CustomerJoined event) {
        }
    }

    public static class EventLogHandler {
        public void handle(DomainEvent event) {
        }
    }

    public static class ShapeHandler {
        public void handle(Shape shape) {
        }
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(HandlerConventionTests.class);
    }

    /** @return the handler methods that ran successfully, one entry per run */
    private static List<String> ran(TrackedSession session) {
        return session.events().stream().filter(e -> e.kind() == TrackedEvent.Kind.EXECUTED)
                .map(TrackedEvent::detail).toList();
    }

    private static MessageTracking tracking(AssertableApplicationContext context) {
        return context.getBean(MessageTracking.class);
    }

    @Test
    void classesNamedHandlerOrConsumerHandleWithEachOfTheFourMethodNames() {
        runner().run(context -> {
            MessageTracking tracking = tracking(context);
            assertThat(ran(tracking.publishAndWait(new PlaceOrder("1")))).containsExactly("OrderHandler.handle(PlaceOrder)");
            assertThat(ran(tracking.publishAndWait(new TakePayment("1"))))
                    .containsExactly("PaymentConsumer.consume(TakePayment)");
            assertThat(ran(tracking.publishAndWait(new Refund("1")))).containsExactly("RefundHandler.handleAsync(Refund)");
            assertThat(ran(tracking.publishAndWait(new Notify("1"))))
                    .containsExactly("NotificationConsumer.consumeAsync(Notify)");
        });
    }

    @Test
    void staticAndInstanceHandlerMethodsBothRun() {
        runner().run(context -> {
            MessageTracking tracking = tracking(context);
            assertThat(ran(tracking.invokeAndWait(new Ship("1")))).containsExactly("ShippingHandler.handle(Ship)");
            assertThat(ran(tracking.invokeAndWait(new Audit("1")))).containsExactly("AuditConsumer.consume(Audit)");
            assertThat(ran(tracking.invokeAndWait(new PlaceOrder("1")))).containsExactly("OrderHandler.handle(PlaceOrder)");
            assertThat(sourceTextOf(context, Ship.class)).contains("HandlerConventionTests.ShippingHandler.handle(m)")
                    .contains("handler instance: static method").doesNotContain("handler = HANDLER");
            assertThat(sourceTextOf(context, PlaceOrder.class)).contains("handler = HANDLER", "handler.handle(m)");
        });
    }

    @Test
    void aClassThatIsNotPublicIsNotAHandlerEvenWhenItsNameSaysSo() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Hidden("1"))).isInstanceOf(NoHandlerException.class);
            assertThatThrownBy(() -> bus.invoke(new Secret("1"))).isInstanceOf(NoHandlerException.class);
            assertThat(handledTypes(context)).doesNotContain(Hidden.class.getName(), Secret.class.getName());
        });
    }

    @Test
    void abstractClassesAndInterfacesAreNotHandlers() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Abstracted("1"))).isInstanceOf(NoHandlerException.class);
            assertThatThrownBy(() -> bus.invoke(new Contracted("1"))).isInstanceOf(NoHandlerException.class);
            assertThat(handledTypes(context)).doesNotContain(Abstracted.class.getName(), Contracted.class.getName());
        });
    }

    @Test
    void aConcreteSubclassHandlesWithTheMethodsItInherits() {
        runner().run(context -> {
            TrackedSession session = tracking(context).publishAndWait(new Inherited("1"));
            assertThat(ran(session)).containsExactly("ConcreteHandler.handle(Inherited)");
            assertThat(session.executed().singleMessage(Inherited.class)).isEqualTo(new Inherited("1"));
        });
    }

    @Test
    void critterHandlerMakesAClassWithAnyNameAHandler() {
        runner().run(context -> assertThat(ran(tracking(context).publishAndWait(new Invoice("1"))))
                .containsExactly("Billing.handle(Invoice)"));
    }

    @Test
    void critterHandlerMakesEvenANonPublicClassAHandler() {
        runner().run(context -> assertThat(ran(tracking(context).publishAndWait(new InternalInvoice("1"))))
                .containsExactly("InternalBilling.handle(InternalInvoice)"));
    }

    @Test
    void notHandlerOnAClassExcludesTheWholeClass() {
        runner().run(context -> {
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).invoke(new Ignored("1")))
                    .isInstanceOf(NoHandlerException.class);
            assertThat(tracking(context).publishAndWait(new Ignored("1")).noRoutes().singleMessage(Ignored.class))
                    .isEqualTo(new Ignored("1"));
        });
    }

    @Test
    void notHandlerOnAMethodExcludesOnlyThatMethod() {
        runner().run(context -> {
            assertThat(ran(tracking(context).publishAndWait(new Kept("1")))).containsExactly("PartlyHandler.handle(Kept)");
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).invoke(new Skipped("1")))
                    .isInstanceOf(NoHandlerException.class);
        });
    }

    @Test
    void methodsWithOtherNamesOrThatAreNotPublicAreNotHandlerMethods() {
        runner().run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Processed("1"))).isInstanceOf(NoHandlerException.class);
            assertThatThrownBy(() -> bus.invoke(new Packaged("1"))).isInstanceOf(NoHandlerException.class);
        });
    }

    @Test
    void everyHandlerOfAMessageTypeRunsExactlyOnceWhenPublished() {
        runner().run(context -> assertThat(ran(tracking(context).publishAndWait(new OrderShipped("1"))))
                .containsExactlyInAnyOrder("ShipmentTrackingHandler.handle(OrderShipped)",
                        "WarehouseConsumer.consume(OrderShipped)", "CustomerMailHandler.handle(OrderShipped)"));
    }

    @Test
    void everyHandlerOfAMessageTypeRunsExactlyOnceWhenInvoked() {
        runner().run(context -> assertThat(ran(tracking(context).invokeAndWait(new OrderShipped("1"))))
                .containsExactlyInAnyOrder("ShipmentTrackingHandler.handle(OrderShipped)",
                        "WarehouseConsumer.consume(OrderShipped)", "CustomerMailHandler.handle(OrderShipped)"));
    }

    @Test
    void aHandlerOfAnInterfaceRunsForEveryMessageImplementingIt() {
        runner().run(context -> {
            MessageTracking tracking = tracking(context);
            assertThat(ran(tracking.publishAndWait(new CustomerJoined("1")))).containsExactlyInAnyOrder(
                    "EventLogHandler.handle(DomainEvent)", "CustomerMailHandler.handle(CustomerJoined)");
            assertThat(ran(tracking.publishAndWait(new CustomerLeft("1"))))
                    .containsExactly("EventLogHandler.handle(DomainEvent)");
            assertThat(ran(tracking.invokeAndWait(new CustomerLeft("2"))))
                    .containsExactly("EventLogHandler.handle(DomainEvent)");
        });
    }

    @Test
    void aHandlerOfASuperclassRunsForItsSubclasses() {
        runner().run(context -> {
            assertThat(ran(tracking(context).publishAndWait(new Circle()))).containsExactly("ShapeHandler.handle(Shape)");
            assertThat(ran(tracking(context).invokeAndWait(new Circle()))).containsExactly("ShapeHandler.handle(Shape)");
        });
    }

    @Test
    void diagnosticsListEveryHandledMessageTypeAndNothingElse() {
        runner().run(context -> assertThat(handledTypes(context)).containsExactlyInAnyOrder(
                PlaceOrder.class.getName(), TakePayment.class.getName(), Ship.class.getName(),
                Refund.class.getName(), Notify.class.getName(), Audit.class.getName(), Inherited.class.getName(),
                Invoice.class.getName(), InternalInvoice.class.getName(), Kept.class.getName(), OrderShipped.class.getName(),
                CustomerJoined.class.getName(), DomainEvent.class.getName(), Shape.class.getName()));
    }

    @Test
    void eachChainsSourceTextNamesItsHandlerMethod() {
        runner().run(context -> {
            List<HandlerChainDescription> chains = context.getBean(CritterDiagnostics.class).handlerChains();
            HandlerChainDescription order = chains.stream()
                    .filter(c -> c.messageType().equals(PlaceOrder.class.getName())).findFirst().orElseThrow();
            assertThat(order.handler()).isEqualTo(OrderHandler.class.getName() + ".handle(PlaceOrder)");
            assertThat(order.sourceText())
                    .contains("Invoker for dev.critter.discovery.conventions.HandlerConventionTests.OrderHandler"
                            + ".handle(HandlerConventionTests.PlaceOrder)")
                    .contains("handler.handle(m)");
            assertThat(chains.stream().filter(c -> c.messageType().equals(OrderShipped.class.getName()))
                    .map(HandlerChainDescription::sourceText))
                    .hasSize(3)
                    .anySatisfy(text -> assertThat(text).contains("Tests.ShipmentTrackingHandler.handle(HandlerConventionTests.OrderShipped)"))
                    .anySatisfy(text -> assertThat(text).contains("Tests.WarehouseConsumer.consume(HandlerConventionTests.OrderShipped)"))
                    .anySatisfy(text -> assertThat(text).contains("Tests.CustomerMailHandler.handle(HandlerConventionTests.OrderShipped)"));
        });
    }

    private static String sourceTextOf(AssertableApplicationContext context, Class<?> messageType) {
        return context.getBean(CritterDiagnostics.class).handlerChains().stream()
                .filter(c -> c.messageType().equals(messageType.getName())).map(HandlerChainDescription::sourceText)
                .reduce((a, b) -> { throw new AssertionError("more than one chain for " + messageType); })
                .orElseThrow();
    }

    private static List<String> handledTypes(AssertableApplicationContext context) {
        return context.getBean(CritterDiagnostics.class).handlerChains().stream()
                .map(HandlerChainDescription::messageType).distinct().toList();
    }
}
