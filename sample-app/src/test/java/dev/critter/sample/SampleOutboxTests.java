package dev.critter.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.CritterDiagnostics;
import dev.critter.Envelope;
import dev.critter.sample.orders.CardLimitExceeded;
import dev.critter.sample.orders.CustomerOrder;
import dev.critter.sample.orders.CustomerOrders;
import dev.critter.sample.orders.OrderPlaced;
import dev.critter.sample.orders.OrderService;
import dev.critter.sample.orders.OrderStatus;
import dev.critter.sample.orders.PaymentCaptured;
import dev.critter.sample.orders.PaymentDue;
import dev.critter.sample.orders.PlaceOrder;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox as the sample uses it, on its embedded PostgreSQL: {@link OrderService#place} saves an
 * order through Spring Data JPA and publishes and schedules its messages in one transaction. These
 * check what holds however Critter keeps the messages until the commit (in memory, or in its
 * outbox tables): a committed order's messages are handled once, a rolled-back one's never, and
 * a scheduled message not before it is due.
 */
@SampleAppTest
class SampleOutboxTests {

    @Autowired OrderService orderService;
    @Autowired CustomerOrders orders;
    @Autowired MessageTracking tracking;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired SampleProperties properties;
    @Autowired CritterDiagnostics diagnostics;

    @Test
    void aCommittedOrderIsInTheTableAndItsMessagesAreHandledOnce() {
        AtomicReference<CustomerOrder> placed = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() -> placed.set(orderService.place("mug", 3, "4242")));
        String orderId = placed.get().getId();

        assertThat(orders.findById(orderId)).get().satisfies(order -> {
            assertThat(order.getSku()).isEqualTo("mug");
            assertThat(order.getQuantity()).isEqualTo(3);
            assertThat(order.getTotalCents()).isEqualTo(1_950);
            assertThat(order.getCardEnding()).isEqualTo("4242");
            assertThat(order.getStatus()).isEqualTo(OrderStatus.PAID);
        });
        assertThat(session.executed().messagesOf(PlaceOrder.class)).containsExactly(new PlaceOrder(orderId, "mug", 3, "4242"));
        assertThat(session.executed().messagesOf(OrderPlaced.class)).singleElement()
                .extracting(OrderPlaced::orderId).isEqualTo(orderId);
        assertThat(session.executed().messagesOf(PaymentCaptured.class)).containsExactly(new PaymentCaptured(orderId, 1_950, "4242"));
        assertThat(session.executed().messagesOf(PaymentDue.class)).containsExactly(new PaymentDue(orderId));
    }

    @Test
    void thePaymentHandlerRunsEachAttemptInATransaction() {
        assertThat(diagnostics.handlerChains()).filteredOn(chain -> chain.handler().contains("PaymentHandler.handle"))
                .singleElement().extracting(CritterDiagnostics.HandlerChainDescription::transaction)
                .asString().contains("@Transactional");
        assertThat(diagnostics.handlerChains()).filteredOn(chain -> chain.handler().contains("OrderHandler.handle"))
                .singleElement().extracting(CritterDiagnostics.HandlerChainDescription::transaction).isEqualTo("none");
    }

    @Test
    void anUnpaidOrderIsCancelledWhenItsPaymentIsDueAndNotBefore() {
        AtomicReference<CustomerOrder> placed = new AtomicReference<>();
        TrackedSession session = tracking.allowingFailures()
                .executeAndWait(() -> placed.set(orderService.place("mug", 1, "0000")));
        String orderId = placed.get().getId();

        assertThat(session.deadLettered().messagesOf(OrderPlaced.class)).extracting(OrderPlaced::orderId)
                .containsExactly(orderId);
        assertThat(session.executed().messagesOf(PaymentDue.class)).containsExactly(new PaymentDue(orderId));
        Envelope due = session.all().envelopes().stream().filter(e -> e.message() instanceof PaymentDue).findFirst()
                .orElseThrow();
        assertThat(Duration.between(due.sentAt(), due.scheduledAt())).isEqualTo(properties.paymentDeadline());
        CustomerOrder cancelled = orders.findById(orderId).orElseThrow();
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(Duration.between(cancelled.getPlacedAt(), cancelled.getUpdatedAt()))
                .isGreaterThanOrEqualTo(properties.paymentDeadline());
    }

    @Test
    void anOrderTheCardIssuerRefusesLeavesNoRowAndNoMessage() {
        long before = orders.count();
        AtomicReference<CardLimitExceeded> refused = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() -> assertThatThrownBy(
                () -> orderService.place("teapot", 60, "4242"))
                .isInstanceOfSatisfying(CardLimitExceeded.class, refused::set)
                .hasMessage("card ending 4242 allows at most $1,000.00 per order; this one came to $1,110.00. "
                        + "Nothing was ordered."));

        assertThat(session.executed().isEmpty()).as("handled: %s", session).isTrue();
        assertThat(session.received().isEmpty()).as("received: %s", session).isTrue();
        assertThat(orders.existsById(refused.get().orderId())).isFalse();
        assertThat(orders.count()).isEqualTo(before);
    }

    @Test
    void anOrderWhoseCallerRollsBackLeavesNoRowAndNoMessage() {
        long before = orders.count();
        AtomicReference<String> orderId = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() -> new TransactionTemplate(transactionManager)
                .executeWithoutResult(transaction -> {
                    orderId.set(orderService.place("mug", 1, "4242").getId());
                    transaction.setRollbackOnly();
                }));

        assertThat(session.executed().isEmpty()).as("handled: %s", session).isTrue();
        assertThat(session.received().isEmpty()).as("received: %s", session).isTrue();
        assertThat(orders.existsById(orderId.get())).isFalse();
        assertThat(orders.count()).isEqualTo(before);
    }
}
