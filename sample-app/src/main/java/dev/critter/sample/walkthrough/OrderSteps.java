package dev.critter.sample.walkthrough;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.critter.CritterDiagnostics;
import dev.critter.sample.SampleProperties;
import dev.critter.sample.database.SampleDatabase;
import dev.critter.sample.orders.CardLimitExceeded;
import dev.critter.sample.orders.Catalog;
import dev.critter.sample.orders.CustomerOrder;
import dev.critter.sample.orders.CustomerOrders;
import dev.critter.sample.orders.OrderService;
import dev.critter.sample.orders.PlaceOrder;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.springframework.stereotype.Component;

import static dev.critter.sample.walkthrough.Story.heading;
import static dev.critter.sample.walkthrough.Story.say;
import static dev.critter.sample.walkthrough.Story.seconds;
import static dev.critter.sample.walkthrough.Story.tree;
import static dev.critter.sample.walkthrough.Story.yes;

/**
 * The walkthrough's steps on PostgreSQL: which database the sample runs on, then orders placed
 * through {@link OrderService}, whose row and messages commit together or not at all.
 */
@Component
class OrderSteps {

    private final MessageTracking tracking;
    private final CritterDiagnostics diagnostics;
    private final OrderService orderService;
    private final CustomerOrders orders;
    private final SampleDatabase database;
    private final Duration paymentDeadline;

    OrderSteps(MessageTracking tracking, CritterDiagnostics diagnostics, OrderService orderService,
               CustomerOrders orders, SampleDatabase database, SampleProperties properties) {
        this.tracking = tracking;
        this.diagnostics = diagnostics;
        this.orderService = orderService;
        this.orders = orders;
        this.database = database;
        this.paymentDeadline = properties.paymentDeadline();
    }

    void database(PrintStream out) {
        say(out, "Database: " + database.describe());
        List<String> tables = database.tables("critter");
        say(out, "Critter created its " + tables.size() + " tables there at start-up, in schema \"critter\":");
        for (int i = 0; i < tables.size(); i += 4) {
            say(out, "   " + String.join(", ", tables.subList(i, Math.min(i + 4, tables.size()))));
        }
    }

    void outbox(PrintStream out, int number) {
        heading(out, number, "The transactional outbox: an order's row and its messages commit together");
        say(out, "@Transactional OrderService.place(sku, quantity, cardEnding):");
        say(out, "   orders.save(order)   (Spring Data JPA), then bus.publish(new PlaceOrder(...)) and");
        say(out, "   bus.schedule(new PaymentDue(...), " + seconds(paymentDeadline) + "): both join the transaction,"
                + " go out when it commits, never if it rolls back");
        say(out, "placing 2 x kettle on card ending 4242, and 1 x mug on card ending 0000 (declined when paying)");
        AtomicReference<CustomerOrder> paid = new AtomicReference<>();
        AtomicReference<CustomerOrder> unpaid = new AtomicReference<>();
        TrackedSession session = tracking.allowingFailures().executeAndWait(() -> {
            paid.set(orderService.place("kettle", 2, "4242"));
            unpaid.set(orderService.place("mug", 1, "0000"));
        });
        tree(out, session);
        CustomerOrder first = reread(paid.get());
        long placeOrders = session.executed().messagesOf(PlaceOrder.class).stream()
                .filter(o -> o.orderId().equals(first.getId())).count();
        say(out, "-> " + first.getId() + " in sample.orders: " + first.getQuantity() + " x " + first.getSku() + ", "
                + Catalog.money(first.getTotalCents()) + ", " + first.getStatus() + "; its PlaceOrder handled once: "
                + yes(placeOrders == 1));
        say(out, "   PaymentHandler is @Transactional: the row marked PAID and the PaymentCaptured it returns commit"
                + " together");
        say(out, "   (its chain in CritterDiagnostics: " + diagnostics.handlerChains().stream()
                .filter(chain -> chain.handler().contains("PaymentHandler.handle")).findFirst()
                .map(CritterDiagnostics.HandlerChainDescription::transaction).orElse("no such chain") + ")");
        CustomerOrder second = reread(unpaid.get());
        say(out, String.format("-> %s in sample.orders: %d x %s, %s, %s %.2f s after it was placed (its payment went "
                        + "to the dead letters; PaymentDue was scheduled for %s later)", second.getId(),
                second.getQuantity(), second.getSku(), Catalog.money(second.getTotalCents()), second.getStatus(),
                Duration.between(second.getPlacedAt(), second.getUpdatedAt()).toMillis() / 1000.0,
                seconds(paymentDeadline)));
    }

    void rollback(PrintStream out, int number) {
        heading(out, number, "A rollback: nothing of a refused order is kept or sent");
        say(out, "OrderService.place(\"kettle\", 40, \"4242\"): saved, published and scheduled; then the card issuer"
                + " refuses the amount, and the exception rolls the transaction back");
        long before = orders.count();
        AtomicReference<CardLimitExceeded> refused = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() -> {
            try {
                orderService.place("kettle", 40, "4242");
            } catch (CardLimitExceeded ex) {
                refused.set(ex);
            }
        });
        if (refused.get() == null) {
            say(out, "-> refused: NO");
            return;
        }
        say(out, "-> CardLimitExceeded: " + refused.get().getMessage());
        say(out, "-> row " + refused.get().orderId() + " in sample.orders: "
                + (orders.existsById(refused.get().orderId()) ? "YES" : "none") + " (orders: " + before
                + " before, " + orders.count() + " after); messages handled: " + session.executed().size()
                + ", PlaceOrder and PaymentDue went with the rollback");
    }

    private CustomerOrder reread(CustomerOrder order) {
        return orders.findById(order.getId()).orElse(order);
    }
}
