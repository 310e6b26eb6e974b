package dev.critter.sample.walkthrough;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.critter.CritterDiagnostics;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.sample.EmailSender;
import dev.critter.sample.SampleProperties;
import dev.critter.sample.audit.AuditTrail;
import dev.critter.sample.orders.CardIssuer;
import dev.critter.sample.orders.OrderPlaced;
import dev.critter.sample.orders.OrderStatusChanged;
import dev.critter.sample.orders.PaymentCaptured;
import dev.critter.sample.orders.PlaceOrder;
import dev.critter.sample.orders.Quote;
import dev.critter.sample.orders.QuoteRequest;
import dev.critter.sample.reports.ReportDesk;
import dev.critter.sample.reports.ReportRequest;
import dev.critter.sample.signup.SignUpRequest;
import dev.critter.sample.stock.StockChanged;
import dev.critter.sample.stock.StockLevels;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedEvent;
import dev.critter.testing.TrackedSession;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import static dev.critter.sample.walkthrough.Story.heading;
import static dev.critter.sample.walkthrough.Story.say;
import static dev.critter.sample.walkthrough.Story.seconds;
import static dev.critter.sample.walkthrough.Story.tree;
import static dev.critter.sample.walkthrough.Story.yes;

/**
 * Walks once through every flow of the sample and says, in plain words, what happened. Each step
 * runs inside a {@link MessageTracking} session, which waits until every message the step caused
 * (cascades, delayed messages, retries) has finished, then reports them.
 */
@Component
public class Walkthrough {

    private static final List<String> PRODUCTS = List.of("kettle", "teapot", "mug");

    private final IMessageBus bus;
    private final MessageTracking tracking;
    private final DeadLetters deadLetters;
    private final CritterDiagnostics diagnostics;
    private final Observed observed;
    private final Duration reminderDelay;

    /**
     * The sample's beans the walkthrough works with and reads back what happened from, and its
     * steps on PostgreSQL.
     */
    @Component
    record Observed(AuditTrail audit, StockLevels stock, EmailSender email, CardIssuer issuer, ReportDesk reports,
                    OrderSteps orderSteps) {
    }

    Walkthrough(IMessageBus bus, MessageTracking tracking, DeadLetters deadLetters, CritterDiagnostics diagnostics,
                Observed observed, SampleProperties properties) {
        this.bus = bus;
        this.tracking = tracking;
        this.deadLetters = deadLetters;
        this.diagnostics = diagnostics;
        this.observed = observed;
        this.reminderDelay = properties.reminderDelay();
    }

    /** @param out where to tell the story (handlers print their own lines on standard out) */
    public void run(PrintStream out) {
        out.println();
        out.println("=== Critter sample walkthrough: every flow once ===");
        observed.orderSteps().database(out);
        cascades(out);
        observed.orderSteps().outbox(out, 2);
        observed.orderSteps().rollback(out, 3);
        sequentialQueue(out);
        partitionedQueue(out);
        delayedMessage(out);
        requestReply(out);
        deadLetters(out);
        replay(out);
        backPressure(out);
        tenancy(out);
        diagnostics(out);
        out.println();
    }

    private void cascades(PrintStream out) {
        heading(out, 1, "Convention handlers and cascades");
        say(out, "bus.publish(new PlaceOrder(\"o-1\", \"kettle\", 2, \"4242\"))   (POST /orders keeps only the card's last four digits)");
        TrackedSession session = tracking.publishAndWait(new PlaceOrder("o-1", "kettle", 2, "4242"));
        tree(out, session);
        say(out, "-> " + session.executed().size() + " messages handled, each handler's return value published "
                + "to the next handlers; nobody called anybody directly");
    }

    private void sequentialQueue(PrintStream out) {
        heading(out, 4, "A sequential queue: \"audit\"");
        say(out, "o.publish(r -> r.messagesImplementing(AuditEvent.class).toLocalQueue(\"audit\"));");
        say(out, "o.localQueue(\"audit\").sequential();   (or in application.yml: critter.local.queues.audit.sequential: true)");
        say(out, "publishing 6 audit events in a burst");
        tracking.executeAndWait(() -> {
            for (int step = 1; step <= 6; step++) {
                bus.publish(new OrderStatusChanged("o-burst", "step " + step));
            }
        });
        List<AuditTrail.Entry> burst = observed.audit().entries().stream()
                .filter(e -> e.event() instanceof OrderStatusChanged c && c.orderId().equals("o-burst")).toList();
        List<String> steps = burst.stream().map(e -> ((OrderStatusChanged) e.event()).status()).toList();
        Set<String> threads = new TreeSet<>(burst.stream().map(AuditTrail.Entry::thread).toList());
        say(out, "-> recorded in publish order: " + yes(steps.equals(List.of("step 1", "step 2", "step 3", "step 4",
                "step 5", "step 6"))) + "; at most " + observed.audit().maxConcurrent() + " audit handler at once; on "
                + threads);
    }

    private void partitionedQueue(PrintStream out) {
        heading(out, 5, "A partitioned queue: \"stock\", in order per product");
        say(out, "o.localQueue(\"stock\").partitionedBy(StockChanged.class, StockChanged::productId).maximumParallelMessages(4);");
        say(out, "publishing restocks +1..+4 for " + PRODUCTS + ", interleaved: kettle+1, teapot+1, mug+1, kettle+2, ...");
        tracking.executeAndWait(() -> {
            for (int round = 1; round <= 4; round++) {
                for (String product : PRODUCTS) {
                    bus.publish(new StockChanged(product, round, "restock " + round));
                }
            }
        });
        for (String product : PRODUCTS) {
            List<Integer> deltas = observed.stock().applied(product).stream()
                    .filter(c -> c.reason().startsWith("restock ")).map(StockChanged::delta).toList();
            say(out, String.format("-> %-7s applied %s  in publish order: %s; on %s", product, deltas,
                    yes(deltas.equals(List.of(1, 2, 3, 4))), new TreeSet<>(observed.stock().threads(product))));
        }
        say(out, "-> two changes of one product at once: " + observed.stock().sameProductOverlaps()
                + " times; different products at once: up to " + observed.stock().maxConcurrent());
        int teapots = observed.stock().level("teapot");
        int refusedBefore = observed.stock().refusedChanges();
        say(out, "bus.publish(new StockChanged(\"teapot\", -" + (teapots + 1) + ", \"miscount\"))   one more than in stock");
        tracking.executeAndWait(() -> bus.publish(new StockChanged("teapot", -(teapots + 1), "miscount")));
        say(out, "-> refused: " + yes(observed.stock().refusedChanges() == refusedBefore + 1) + "; teapot still at "
                + observed.stock().level("teapot") + "; stock below zero anywhere: "
                + (observed.stock().levels().values().stream().anyMatch(level -> level < 0) ? "YES" : "no")
                + "; levels " + observed.stock().levels());
    }

    private void delayedMessage(PrintStream out) {
        heading(out, 6, "A delayed message");
        say(out, "WelcomeEmailConsumer returns Messages.delayed(new SignUpReminder(email), " + seconds(reminderDelay) + ")");
        say(out, "bus.publish(new SignUpRequest(\"ann@example.com\"))");
        TrackedSession session = tracking.publishAndWait(new SignUpRequest("ann@example.com"));
        tree(out, session);
        List<EmailSender.Email> mails = observed.email().sentTo("ann@example.com");
        if (mails.size() >= 2) {
            long nanos = mails.get(mails.size() - 1).sentAtNanos() - mails.get(mails.size() - 2).sentAtNanos();
            say(out, String.format("-> the reminder went out %.2f s after the welcome e-mail (asked for %s)",
                    nanos / 1e9, seconds(reminderDelay)));
        }
    }

    private void requestReply(PrintStream out) {
        heading(out, 7, "Request/reply");
        say(out, "bus.invoke(new QuoteRequest(\"kettle\", 3), Quote.class)   runs the handler on this thread");
        AtomicReference<Quote> reply = new AtomicReference<>();
        TrackedSession session = tracking.executeAndWait(() ->
                reply.set(bus.invoke(new QuoteRequest("kettle", 3), Quote.class)));
        say(out, "-> reply: " + reply.get() + "  (messages published: " + session.sent().size()
                + ": a reply is returned, not cascaded)");
        say(out, "bus.invokeAsync(new QuoteRequest(\"mug\", 12), Quote.class)   runs it on a worker of queue quote-request");
        try {
            Quote quote = bus.invokeAsync(new QuoteRequest("mug", 12), Quote.class).get(5, TimeUnit.SECONDS);
            say(out, "-> reply: " + quote);
        } catch (Exception ex) {
            say(out, "-> no reply: " + ex);
        }
    }

    private void deadLetters(PrintStream out) {
        heading(out, 8, "Retries and dead letters");
        say(out, "o.onException(PaymentDeclined.class).retryWithCooldown(ofMillis(100), ofMillis(200)).then().moveToDeadLetterQueue();");
        say(out, "bus.publish(new PlaceOrder(\"o-2\", \"teapot\", 1, \"0000\"))   a card ending 0000 is declined");
        TrackedSession session = tracking.allowingFailures()
                .publishAndWait(new PlaceOrder("o-2", "teapot", 1, "0000"));
        tree(out, session);
        List<Envelope> failed = session.deadLettered().envelopes();
        say(out, "-> " + session.failed().size() + " message failed, retried, and moved to the dead letters; "
                + "the other consumers of OrderPlaced ran once, unaffected");
        say(out, "DeadLetters bean now holds:");
        for (DeadLetter letter : deadLetters.list()) {
            if (failed.stream().anyMatch(e -> e.id().equals(letter.envelope().id()))) {
                OrderPlaced order = (OrderPlaced) letter.envelope().message();
                say(out, "   " + letter.id() + "  " + order.getClass().getSimpleName() + " " + order.orderId() + " at "
                        + letter.destination() + ", handler " + chainName(letter.handler()));
                say(out, "   after attempt " + letter.envelope().attempts() + ": " + letter.exceptionType() + ": "
                        + letter.exceptionMessage());
            }
        }
        say(out, "(list them: GET /actuator/critterdeadletters; send one back to its handler: "
                + "POST /actuator/critterdeadletters/{id})");
        say(out, "(in Java: deadLetters.list(), deadLetters.replay(id), deadLetters.discard(id))");
    }

    private void replay(PrintStream out) {
        heading(out, 9, "A dead letter replayed successfully");
        say(out, "the issuer puts card ending 5100 on hold; bus.publish(new PlaceOrder(\"o-3\", \"mug\", 1, \"5100\"))");
        observed.issuer().hold("5100");
        TrackedSession failed = tracking.allowingFailures().publishAndWait(new PlaceOrder("o-3", "mug", 1, "5100"));
        Envelope held = failed.deadLettered().envelopes().stream().findFirst().orElse(null);
        DeadLetter letter = held == null ? null : deadLetters.list().stream()
                .filter(d -> d.envelope().id().equals(held.id())).findFirst().orElse(null);
        if (letter == null) {
            say(out, "-> dead-lettered: NO");
            return;
        }
        long attempts = failed.events().stream().filter(e -> e.kind() == TrackedEvent.Kind.FAILED).count();
        say(out, "-> dead-lettered after " + attempts + " failed attempts: " + letter.id());
        say(out, "the customer's bank lifts the hold: issuer.release(\"5100\"); then deadLetters.replay(" + letter.id() + ")");
        observed.issuer().release("5100");
        AtomicReference<Boolean> replayed = new AtomicReference<>(false);
        TrackedSession replay = tracking.executeAndWait(() -> replayed.set(deadLetters.replay(letter.id())));
        tree(out, replay);
        say(out, "-> replayed to PaymentHandler only: " + yes(replayed.get()) + "; payment captured: "
                + yes(!replay.executed().messagesOf(PaymentCaptured.class).isEmpty()) + "; dead letter gone: "
                + yes(deadLetters.find(letter.id()).isEmpty()));
    }

    private void backPressure(PrintStream out) {
        heading(out, 10, "Back-pressure: a full queue makes the publisher wait");
        say(out, "o.localQueueFor(ReportRequest.class).maximumParallelMessages(1).capacity(2);");
        say(out, "the report desk is paused, so the one worker stays busy with the first report");
        observed.reports().pause();
        int before = observed.reports().written().size();
        try {
            for (int i = 1; i <= 3; i++) {
                bus.publish(new ReportRequest("r-" + i));
            }
            say(out, "published r-1..r-3 at once: r-1 is running, r-2 and r-3 wait (queue depth " + depth("report-request")
                    + " of capacity 2)");
            Thread publisher = new Thread(() -> bus.publish(new ReportRequest("r-4")), "walkthrough-publisher");
            publisher.start();
            boolean waiting = awaitBlocked(publisher);
            say(out, "another thread publishes r-4: it waits for room instead of piling up messages: " + yes(waiting)
                    + " (thread state " + publisher.getState() + ", depth " + depth("report-request") + ")");
            observed.reports().resume();
            publisher.join(TimeUnit.SECONDS.toMillis(30));
            say(out, "the desk resumes: r-1 finishes, r-4 gets in, the publisher returns: " + yes(!publisher.isAlive()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            observed.reports().resume();
        }
        awaitWritten(before + 4);
        say(out, "-> reports written in order: " + observed.reports().written().subList(before,
                observed.reports().written().size()) + "; had the queue stayed full for critter.local.publish-timeout"
                + " (30s), publish would have thrown QueueFullException: nothing is dropped");
    }

    private int depth(String queue) {
        return diagnostics.localQueues().stream().filter(q -> q.name().equals(queue))
                .mapToInt(CritterDiagnostics.LocalQueueDescription::depth).findFirst().orElse(-1);
    }

    /** Waits (condition, not time) until the thread blocks inside publish, at most 10 s. */
    private static boolean awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return true;
            }
            if (state == Thread.State.TERMINATED) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return false;
    }

    private void awaitWritten(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (observed.reports().written().size() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void tenancy(PrintStream out) {
        heading(out, 11, "Multi-tenancy");
        say(out, "bus.publish(new SignUpRequest(\"bob@acme.test\"), DeliveryOptions.builder().tenantId(\"acme\").build())");
        TrackedSession session = tracking.executeAndWait(() ->
                bus.publish(new SignUpRequest("bob@acme.test"), DeliveryOptions.builder().tenantId("acme").build()));
        tree(out, session);
        Set<String> tenants = new TreeSet<>(session.all().envelopes().stream()
                .map(e -> String.valueOf(e.tenantId())).toList());
        Set<String> seenByHandlers = new TreeSet<>(observed.email().sentTo("bob@acme.test").stream()
                .map(m -> String.valueOf(m.tenant())).toList());
        say(out, "-> tenants on the " + session.all().size() + " envelopes: " + tenants
                + "; @TenantId String tenant in the e-mail handlers: " + seenByHandlers);
    }

    private void diagnostics(PrintStream out) {
        heading(out, 12, "What Critter generated (CritterDiagnostics)");
        diagnostics.handlerChains().stream()
                .filter(c -> c.handler().contains("WelcomeEmailConsumer"))
                .findFirst()
                .ifPresent(chain -> {
                    say(out, "the invoker of " + chain.handler() + " (" + chain.invoker() + "):");
                    chain.sourceText().lines().forEach(line -> say(out, "   " + line));
                });
        say(out, diagnostics.handlerChains().size() + " handler chains; local queues:");
        for (CritterDiagnostics.LocalQueueDescription q : diagnostics.localQueues()) {
            say(out, String.format("   %-22s %-12s parallelism %-3d capacity %,-7d %s", q.name(), q.mode(),
                    q.parallelism(), q.capacity(), q.durable() ? "durable (PostgreSQL inbox)" : "in memory").stripTrailing());
        }
    }

    /**
     * A dead letter names its chain by id, {@code com.acme.PaymentHandler#handle(com.acme.OrderPlaced)};
     * shown without packages, {@code PaymentHandler.handle(OrderPlaced)}.
     */
    private static String chainName(@Nullable String chainId) {
        return chainId == null ? "(none)" : chainId.replaceAll("[\\w$]+\\.", "").replace('#', '.');
    }
}
