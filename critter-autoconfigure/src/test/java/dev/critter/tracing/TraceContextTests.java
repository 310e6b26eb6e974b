package dev.critter.tracing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.Envelope;
import dev.critter.Messages;
import dev.critter.OutgoingMessage;
import dev.critter.observability.HandleObservationContext;
import dev.critter.observability.SendObservationContext;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The W3C {@code traceparent} header carries a trace from a publisher through a queue and a
 * cascade into a second queue. The propagation is a small hand-written handler that does what a
 * tracing bridge (Brave, OpenTelemetry) does with sender and receiver contexts: inject on send
 * through the context's setter, extract on receive through its getter, otherwise inherit from the
 * parent observation. It stands in for Micrometer Tracing, whose test module ships no propagator.
 */
class TraceContextTests {

    public record OrderPlaced(String id) { }
    public record OrderShipped(String id) { }

    public static class OrderPlacedHandler {
        public OrderShipped handle(OrderPlaced placed) {
            return new OrderShipped(placed.id());
        }
    }

    public static class OrderShippedHandler {
        public void handle(OrderShipped shipped) {
        }
    }

    public record Remind(String id) { }
    public record Reminder(String id) { }

    public static class RemindHandler {
        public OutgoingMessage handle(Remind remind) {
            return Messages.delayed(new Reminder(remind.id()), Duration.ofMillis(20));
        }
    }

    public static class ReminderHandler {
        public void handle(Reminder reminder) {
        }
    }

    @Test
    void aDelayedCascadeIsHandledWhenDueInTheTraceOfTheHandlerThatScheduledIt() {
        W3cPropagation propagation = new W3cPropagation();
        ObservationRegistry registry = registryWith(propagation);
        CritterContexts.scanning(TraceContextTests.class).withBean(ObservationRegistry.class, () -> registry)
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    Observation request = publishInARequest(registry, tracking, new Remind("r-1"));

                    HandleObservationContext reminder = propagation.handle(Reminder.class);
                    assertThat(W3cPropagation.trace(reminder)).isEqualTo(W3cPropagation.trace(request.getContext()));
                    SendObservationContext scheduled = propagation.send(Reminder.class);
                    assertThat(scheduled.getParentObservation().getContextView())
                            .isSameAs(propagation.handle(Remind.class));
                    assertThat(reminder.envelope().headers().get("traceparent"))
                            .isEqualTo(W3cPropagation.traceparent(scheduled));
                });
    }

    public record Flaky(String id) { }

    static final AtomicInteger flakyAttempts = new AtomicInteger();

    public static class FlakyHandler {
        public void handle(Flaky flaky) {
            if (flakyAttempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt of " + flaky.id() + " fails");
            }
        }
    }

    @Test
    void aRequeuedMessageIsHandledAgainInTheTraceItWasPublishedIn() {
        W3cPropagation propagation = new W3cPropagation();
        ObservationRegistry registry = registryWith(propagation);
        flakyAttempts.set(0);
        CritterContexts.scanning(TraceContextTests.class).withBean(ObservationRegistry.class, () -> registry)
                .withBean(CritterConfigurer.class, () -> o -> o.onException(IllegalStateException.class).requeue())
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
                    Observation request = publishInARequest(registry, tracking, new Flaky("f-1"));

                    List<HandleObservationContext> attempts = propagation.handles(Flaky.class);
                    assertThat(attempts).hasSize(2);
                    assertThat(attempts).allSatisfy(attempt -> assertThat(W3cPropagation.trace(attempt))
                            .isEqualTo(W3cPropagation.trace(request.getContext())));
                });
    }

    @Test
    void aTraceStartedByThePublisherContinuesThroughTheQueueAndTheCascadeIntoTheNextQueue() {
        W3cPropagation propagation = new W3cPropagation();
        ObservationRegistry registry = registryWith(propagation);
        CritterContexts.scanning(TraceContextTests.class).withBean(ObservationRegistry.class, () -> registry)
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    Observation request = publishInARequest(registry, tracking, new OrderPlaced("o-1"));
                    String trace = W3cPropagation.trace(request.getContext());

                    SendObservationContext sendPlaced = propagation.send(OrderPlaced.class);
                    HandleObservationContext handlePlaced = propagation.handle(OrderPlaced.class);
                    SendObservationContext sendShipped = propagation.send(OrderShipped.class);
                    HandleObservationContext handleShipped = propagation.handle(OrderShipped.class);
                    assertThat(List.of(sendPlaced, handlePlaced, sendShipped, handleShipped))
                            .allSatisfy(c -> assertThat(W3cPropagation.trace(c)).as(c.getName()).isEqualTo(trace));

                    // Each handler saw the traceparent written by the send that delivered its message...
                    assertThat(handlePlaced.envelope().headers().get("traceparent"))
                            .isEqualTo(W3cPropagation.traceparent(sendPlaced));
                    assertThat(handleShipped.envelope().headers().get("traceparent"))
                            .isEqualTo(W3cPropagation.traceparent(sendShipped));
                    // ... and the cascade was sent from inside the first handler's observation.
                    assertThat(sendShipped.getParentObservation()).isNotNull();
                    assertThat(sendShipped.getParentObservation().getContextView()).isSameAs(handlePlaced);
                    assertThat(sendPlaced.getParentObservation().getContextView()).isSameAs(request.getContext());
                });
    }

    /** A registry whose observations the propagation handles, as a tracing bridge's would be. */
    private static ObservationRegistry registryWith(W3cPropagation propagation) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(propagation);
        return registry;
    }

    /**
     * Publishes a message and waits until it and its cascades were handled, inside the observation
     * of an incoming HTTP request, as a web application's controller would.
     * @return the request's observation, stopped
     */
    private static Observation publishInARequest(ObservationRegistry registry, MessageTracking tracking, Object message) {
        Observation request = Observation.start("http.request", registry);
        try (Observation.Scope scope = request.openScope()) {
            tracking.publishAndWait(message);
        } finally {
            request.stop();
        }
        return request;
    }

    /** Trace ids as a tracer keeps them, and the W3C header as a tracing bridge writes and reads it. */
    static final class W3cPropagation implements ObservationHandler<Observation.Context> {

        private static final String TRACE = "trace";
        private static final String SPAN = "span";

        private final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            String trace = null;
            if (context instanceof ReceiverContext<?> receiver) {
                ReceiverContext<Object> r = (ReceiverContext<Object>) receiver;
                String header = r.getGetter().get(r.getCarrier(), "traceparent");
                trace = header != null ? header.split("-")[1] : null;
            }
            if (trace == null && context.getParentObservation() != null) {
                trace = context.getParentObservation().getContextView().get(TRACE);
            }
            context.put(TRACE, trace != null ? trace : hex(32));
            context.put(SPAN, hex(16));
            if (context instanceof SenderContext<?> sender) {
                SenderContext<Object> s = (SenderContext<Object>) sender;
                s.getSetter().set(s.getCarrier(), "traceparent", traceparent(context));
            }
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        static String trace(Observation.ContextView context) {
            return context.getRequired(TRACE);
        }

        static String traceparent(Observation.ContextView context) {
            return "00-" + context.getRequired(TRACE) + "-" + context.getRequired(SPAN) + "-01";
        }

        SendObservationContext send(Class<?> messageType) {
            return single(SendObservationContext.class, c -> c.envelope(), messageType);
        }

        HandleObservationContext handle(Class<?> messageType) {
            return single(HandleObservationContext.class, c -> c.envelope(), messageType);
        }

        List<HandleObservationContext> handles(Class<?> messageType) {
            return contexts.stream().filter(HandleObservationContext.class::isInstance)
                    .map(HandleObservationContext.class::cast)
                    .filter(c -> c.envelope().message().getClass() == messageType).toList();
        }

        private <C> C single(Class<C> kind, java.util.function.Function<C, Envelope> envelope, Class<?> messageType) {
            List<C> matching = contexts.stream().filter(kind::isInstance).map(kind::cast)
                    .filter(c -> envelope.apply(c).message().getClass() == messageType).toList();
            assertThat(matching).as("%s of %s", kind.getSimpleName(), messageType.getSimpleName()).hasSize(1);
            return matching.get(0);
        }

        private static String hex(int length) {
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
            }
            return out.toString();
        }
    }
}
