package dev.critter.sample;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.critter.CritterDiagnostics;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.sample.audit.AuditEvent;
import dev.critter.sample.audit.AuditTrail;
import dev.critter.sample.orders.OrderPlaced;
import dev.critter.sample.orders.OrderStatusChanged;
import dev.critter.sample.orders.PaymentCaptured;
import dev.critter.sample.orders.PaymentDeclined;
import dev.critter.sample.orders.PaymentHandler;
import dev.critter.sample.orders.PlaceOrder;
import dev.critter.sample.orders.Quote;
import dev.critter.sample.orders.QuoteRequest;
import dev.critter.sample.signup.SignUpReminder;
import dev.critter.sample.signup.SignUpRequest;
import dev.critter.sample.signup.UserSignedUp;
import dev.critter.sample.stock.StockChanged;
import dev.critter.sample.stock.StockLevels;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedEvent;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives each flow of the sample through the bus and checks what happened, with MessageTracking. */
@SampleAppTest
class SampleFlowsTests {

    @Autowired IMessageBus bus;
    @Autowired MessageTracking tracking;
    @Autowired DeadLetters deadLetters;
    @Autowired CritterDiagnostics diagnostics;
    @Autowired AuditTrail audit;
    @Autowired StockLevels stock;
    @Autowired EmailSender email;

    @Test
    void placingAnOrderCascadesToPaymentStockConfirmationAndAudit() {
        String orderId = unique("o");
        TrackedSession session = tracking.publishAndWait(new PlaceOrder(orderId, "kettle", 2, "4242"));

        assertThat(session.executed().singleMessage(OrderPlaced.class))
                .isEqualTo(new OrderPlaced(orderId, "kettle", 2, 5_998, "4242"));
        assertThat(handlersOf(session, OrderPlaced.class)).containsExactlyInAnyOrder(
                "OrderConfirmationConsumer.consume(OrderPlaced)", "InventoryConsumer.consume(OrderPlaced)",
                "PaymentHandler.handle(OrderPlaced, MessageContext)");
        assertThat(session.executed().singleMessage(PaymentCaptured.class))
                .isEqualTo(new PaymentCaptured(orderId, 5_998, "4242"));
        assertThat(session.executed().singleMessage(StockChanged.class))
                .isEqualTo(new StockChanged("kettle", -2, "order " + orderId));
        assertThat(session.executed().singleMessage(OrderStatusChanged.class))
                .isEqualTo(new OrderStatusChanged(orderId, "placed"));
        assertThat(audit.entries()).extracting(AuditTrail.Entry::event)
                .contains(new OrderStatusChanged(orderId, "placed"), new PaymentCaptured(orderId, 5_998, "4242"));
    }

    @Test
    void auditEventsAreRecordedOneAtATimeInPublishOrder() {
        String orderId = unique("audit");
        tracking.executeAndWait(() -> IntStream.rangeClosed(1, 30)
                .forEach(step -> bus.publish(new OrderStatusChanged(orderId, "step " + step))));

        List<AuditTrail.Entry> recorded = audit.entries().stream()
                .filter(e -> e.event() instanceof OrderStatusChanged c && c.orderId().equals(orderId)).toList();
        assertThat(recorded).extracting(e -> ((OrderStatusChanged) e.event()).status())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 30).mapToObj(i -> "step " + i).toList());
        assertThat(recorded).extracting(AuditTrail.Entry::thread).containsOnly("critter-audit-1");
        assertThat(audit.maxConcurrent()).isEqualTo(1);
    }

    @Test
    void stockChangesOfOneProductAreAppliedInPublishOrder() {
        List<String> products = List.of(unique("p"), unique("p"), unique("p"));
        tracking.executeAndWait(() -> IntStream.rangeClosed(1, 10).forEach(round ->
                products.forEach(product -> bus.publish(new StockChanged(product, round, "round " + round)))));

        for (String product : products) {
            assertThat(stock.applied(product)).extracting(StockChanged::delta)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(stock.levels()).containsEntry(product, 55);
        }
        assertThat(stock.sameProductOverlaps()).isZero();
    }

    @Test
    void welcomeEmailSchedulesTheReminderAfterTheConfiguredDelay() {
        String address = unique("ann") + "@example.com";
        TrackedSession session = tracking.publishAndWait(new SignUpRequest(address));

        assertThat(session.executed().singleMessage(UserSignedUp.class).email()).isEqualTo(address);
        assertThat(session.executed().singleMessage(SignUpReminder.class)).isEqualTo(new SignUpReminder(address));
        Envelope reminder = envelopeOf(session, SignUpReminder.class);
        assertThat(Duration.between(reminder.sentAt(), reminder.scheduledAt())).isEqualTo(Duration.ofMillis(200));
        List<EmailSender.Email> mails = email.sentTo(address);
        assertThat(mails).extracting(EmailSender.Email::subject)
                .containsExactly("Welcome aboard, " + session.executed().singleMessage(UserSignedUp.class).userId(),
                        "Finish setting up your account");
        // The delay is measured on the wall clock, the e-mails on the monotonic one: allow for granularity.
        assertThat(Duration.ofNanos(mails.get(1).sentAtNanos() - mails.get(0).sentAtNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void quotesComeBackThroughInvokeAndInvokeAsyncWithoutBeingPublished() {
        AtomicReference<Quote> reply = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() ->
                reply.set(bus.invoke(new QuoteRequest("kettle", 3), Quote.class)));

        assertThat(reply.get()).isEqualTo(new Quote("kettle", 3, 2_999, 0, 8_997));
        assertThat(session.executed().singleMessage(QuoteRequest.class)).isEqualTo(new QuoteRequest("kettle", 3));
        assertThat(session.sent().isEmpty()).isTrue();
        assertThat(session.noRoutes().isEmpty()).isTrue();
        assertThat(bus.invokeAsync(new QuoteRequest("mug", 12), Quote.class))
                .succeedsWithin(Duration.ofSeconds(5))
                .isEqualTo(new Quote("mug", 12, 650, 10, 7_020));
        assertThatThrownBy(() -> bus.invoke(new QuoteRequest("anvil", 1), Quote.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Unknown product anvil");
        assertThatThrownBy(() -> bus.invoke(new QuoteRequest("mug", -2), Quote.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("quantity must be at least 1, was -2");
        // 11 teapots: 1850 x 11 x 90% = 18315 cents exactly; 3 mugs at 10+ do not apply; 13 mugs round half up.
        assertThat(bus.invoke(new QuoteRequest("teapot", 11), Quote.class).totalCents()).isEqualTo(18_315);
        assertThat(bus.invoke(new QuoteRequest("kettle", 15), Quote.class).totalCents()).isEqualTo(40_487);
    }

    @Test
    void declinedCardIsRetriedThenDeadLetteredAndReplaysOnlyThePaymentHandler() {
        String orderId = unique("o");
        TrackedSession session = tracking.allowingFailures()
                .publishAndWait(new PlaceOrder(orderId, "mug", 1, "0000"));

        OrderPlaced placed = session.deadLettered().singleMessage(OrderPlaced.class);
        Envelope envelope = envelopeOf(session, OrderPlaced.class);
        assertThat(session.events()).filteredOn(e -> e.kind() == TrackedEvent.Kind.FAILED).hasSize(3);
        assertThat(session.events()).filteredOn(e -> e.kind() == TrackedEvent.Kind.RETRYING).hasSize(2);
        assertThat(session.executed().messagesOf(PaymentCaptured.class)).isEmpty();
        assertThat(session.executed().singleMessage(StockChanged.class)).isEqualTo(new StockChanged("mug", -1, "order " + orderId));
        assertThat(handlersOf(session, OrderPlaced.class)).containsExactlyInAnyOrder(
                "OrderConfirmationConsumer.consume(OrderPlaced)", "InventoryConsumer.consume(OrderPlaced)");

        DeadLetter letter = deadLetterOf(envelope.id(), null);
        assertThat(letter.envelope().message()).isEqualTo(placed);
        assertThat(letter.envelope().attempts()).isEqualTo(3);
        assertThat(letter.destination()).isEqualTo("local://order-placed");
        assertThat(letter.handler()).isEqualTo(PaymentHandler.class.getName() + "#handle(" + OrderPlaced.class.getName() + ", dev.critter.MessageContext)");
        assertThat(letter.exceptionType()).isEqualTo(PaymentDeclined.class.getName());
        assertThat(letter.exceptionMessage()).isEqualTo("Card ending 0000 declined for order " + orderId);

        TrackedSession replay = tracking.allowingFailures()
                .executeAndWait(() -> assertThat(deadLetters.replay(letter.id())).isTrue());
        assertThat(replay.deadLettered().singleMessage(OrderPlaced.class)).isEqualTo(placed);
        assertThat(replay.events()).filteredOn(e -> e.kind() == TrackedEvent.Kind.FAILED)
                .extracting(TrackedEvent::detail)
                .hasSize(3).allMatch(detail -> detail.startsWith("PaymentHandler.handle(OrderPlaced, MessageContext)"));
        assertThat(replay.executed().isEmpty()).isTrue();
        assertThat(deadLetters.find(letter.id())).isEmpty();
        assertThat(deadLetterOf(envelope.id(), letter.id()).handler()).isEqualTo(letter.handler());
    }

    @Test
    void aNegativeQuantityIsRefusedByTheOrderHandlerAndChangesNoStock() {
        String orderId = unique("o");
        // Kettle: no other test changes its stock without waiting for the change (mug and teapot
        // orders over HTTP do), so the level cannot move under this test.
        int kettles = stock.level("kettle");
        TrackedSession session = tracking.allowingFailures().publishAndWait(new PlaceOrder(orderId, "kettle", -3, "4242"));

        assertThat(session.deadLettered().singleMessage(PlaceOrder.class).quantity()).isEqualTo(-3);
        assertThat(session.executed().messagesOf(OrderPlaced.class)).isEmpty();
        assertThat(session.executed().messagesOf(StockChanged.class)).isEmpty();
        assertThat(stock.level("kettle")).isEqualTo(kettles);
        assertThat(deadLetters.list()).filteredOn(d -> d.envelope().message() instanceof PlaceOrder p
                        && p.orderId().equals(orderId))
                .singleElement().extracting(DeadLetter::exceptionMessage).isEqualTo("quantity must be at least 1, was -3");
    }

    @Test
    void aStockChangeThatWouldGoBelowZeroIsRefusedAndTheLevelKept() {
        String product = unique("p");
        tracking.executeAndWait(() -> {
            bus.publish(new StockChanged(product, 3, "delivery"));
            bus.publish(new StockChanged(product, -5, "miscount"));
            bus.publish(new StockChanged(product, -3, "sold"));
        });

        assertThat(stock.applied(product)).extracting(StockChanged::delta).containsExactly(3, -3);
        assertThat(stock.level(product)).isZero();
    }

    @Test
    void productsStartWithTheCatalogsStock() {
        assertThat(stock.levels()).containsKeys("kettle", "teapot", "mug");
        assertThat(stock.levels().values()).allSatisfy(level -> assertThat(level).isNotNegative());
    }

    @Test
    void aMessageCannotCarryMoreThanTheLastFourDigitsOfACard() {
        assertThatThrownBy(() -> new PlaceOrder("o-x", "mug", 1, "4242 4242 4242 4242"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cardEnding must be the last four digits of the card, nothing more");
        assertThatThrownBy(() -> new OrderPlaced("o-x", "mug", 1, 650, "4242424242424242"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("4242");
    }

    @Test
    void tenantTravelsWithEveryCascadedMessageAndIsInjectedIntoHandlers() {
        String address = unique("bob") + "@acme.test";
        TrackedSession session = tracking.executeAndWait(() ->
                bus.publish(new SignUpRequest(address), DeliveryOptions.builder().tenantId("acme").build()));

        assertThat(session.executed().envelopes()).extracting(e -> (Object) e.message().getClass())
                .containsExactlyInAnyOrder(SignUpRequest.class, UserSignedUp.class, SignUpReminder.class);
        assertThat(session.all().envelopes()).extracting(Envelope::tenantId).containsOnly("acme");
        assertThat(email.sentTo(address)).extracting(EmailSender.Email::tenant).containsExactly("acme", "acme");
    }

    @Test
    void queuesAreSetUpFromJavaConfigurationAndApplicationYaml() {
        assertThat(diagnostics.localQueues()).extracting(CritterDiagnostics.LocalQueueDescription::name)
                .contains("audit", "stock", "place-order", "order-placed", "sign-up-request", "user-signed-up",
                        "sign-up-reminder", "quote-request", "load-ping");
        assertThat(queue("audit")).isEqualTo(new CritterDiagnostics.LocalQueueDescription(
                "audit", 1, "sequential", 1_000, 0, 0, true, false));
        assertThat(queue("stock").mode()).isEqualTo("partitioned");
        assertThat(queue("stock").parallelism()).isEqualTo(4);
        assertThat(queue("place-order").parallelism()).isEqualTo(4);
        assertThat(diagnostics.routes()).containsEntry(AuditEvent.class.getName(), List.of("local://audit"))
                .containsEntry(StockChanged.class.getName(), List.of("local://stock"));
    }

    private CritterDiagnostics.LocalQueueDescription queue(String name) {
        return diagnostics.localQueues().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
    }

    private DeadLetter deadLetterOf(UUID envelopeId, UUID other) {
        return deadLetters.list().stream()
                .filter(d -> d.envelope().id().equals(envelopeId) && !d.id().equals(other))
                .findFirst().orElseThrow();
    }

    private static List<String> handlersOf(TrackedSession session, Class<?> messageType) {
        return session.events().stream()
                .filter(e -> e.kind() == TrackedEvent.Kind.EXECUTED && messageType.isInstance(e.envelope().message()))
                .map(TrackedEvent::detail).toList();
    }

    private static Envelope envelopeOf(TrackedSession session, Class<?> messageType) {
        return session.all().envelopes().stream().filter(e -> messageType.isInstance(e.message()))
                .findFirst().orElseThrow();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
