package dev.critter.invoke;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.MessageHandlingException;
import dev.critter.NoHandlerException;
import dev.critter.NoRoutesException;
import dev.critter.ReplyTimeoutException;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InvokeTests {

    public record GetQuote(String sku) { }
    public record Quote(String sku, int cents) { }
    public record QuoteRequested(String sku) { }
    public record Ask(String question) { }
    public record Answer(String text) { }
    public record Explode(boolean checked) { }
    public record SlowQuestion(String id) { }
    public record Unhandled(String id) { }
    public record CallsInvoke(String id, boolean failAfter) { }
    public record Inner(String id) { }
    public record InnerDone(String id) { }

    static volatile CountDownLatch slowRelease = new CountDownLatch(0);
    static volatile Thread quoteThread;

    public static class QuoteHandler {
        public Quote handle(GetQuote request, MessageContext context) {
            quoteThread = Thread.currentThread();
            context.publish(new QuoteRequested(request.sku()));
            return new Quote(request.sku(), 1999);
        }

        public void handle(QuoteRequested requested) {
        }

        public void handle(Quote quote) {
        }

        public void handle(Ask ask, MessageContext context) {
            context.respond(new Answer("you asked " + ask.question()));
        }

        public void handle(Explode explode) throws IOException {
            if (explode.checked()) {
                throw new IOException("disk on fire");
            }
            throw new IllegalStateException("boom");
        }

        public Answer handle(SlowQuestion question) throws InterruptedException {
            slowRelease.await(30, TimeUnit.SECONDS);
            return new Answer("slow " + question.id());
        }

        public String handle(CallsInvoke calls, IMessageBus bus) {
            bus.invoke(new Inner(calls.id()));
            if (calls.failAfter()) {
                throw new IllegalStateException("outer handler fails after the nested invoke");
            }
            return null;
        }

        public InnerDone handle(Inner inner) {
            return new InnerDone(inner.id());
        }

        public void handle(InnerDone done) {
        }
    }

    @Test
    void invokeWithAResponseTypeReturnsTheResponseOnTheCallersThreadAndDoesNotCascadeIt() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() ->
                    assertThat(bus.invoke(new GetQuote("sku-1"), Quote.class)).isEqualTo(new Quote("sku-1", 1999)));
            assertThat(quoteThread).isSameAs(Thread.currentThread());
            assertThat(session.sent().messagesOf(Quote.class)).isEmpty();
            assertThat(session.executed().singleMessage(QuoteRequested.class).sku()).isEqualTo("sku-1");
        });
    }

    @Test
    void invokeWithoutAResponseTypeCascadesTheReturnValue() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).invokeAndWait(new GetQuote("sku-2"));
            assertThat(session.executed().singleMessage(Quote.class)).isEqualTo(new Quote("sku-2", 1999));
        });
    }

    @Test
    void respondSetsTheResponse() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            assertThat(context.getBean(IMessageBus.class).invoke(new Ask("why"), Answer.class))
                    .isEqualTo(new Answer("you asked why"));
        });
    }

    @Test
    void invokeRethrowsUncheckedExceptionsAsTheyAreAndWrapsCheckedOnes() {
        CritterContexts.scanning(InvokeTests.class).withPropertyValues("critter.errors.retry-cooldowns=1ms")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    assertThatThrownBy(() -> bus.invoke(new Explode(false)))
                            .isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
                    assertThatThrownBy(() -> bus.invoke(new Explode(true)))
                            .isExactlyInstanceOf(MessageHandlingException.class)
                            .hasCauseExactlyInstanceOf(IOException.class)
                            .hasRootCauseMessage("disk on fire");
                });
    }

    @Test
    void invokeWithoutHandlerThrowsNoHandlerAndSendWithoutRouteThrowsNoRoutes() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Unhandled("u"))).isInstanceOf(NoHandlerException.class)
                    .hasMessageContaining(Unhandled.class.getName());
            assertThatThrownBy(() -> bus.send(new Unhandled("u"))).isInstanceOf(NoRoutesException.class);
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Unhandled("u"));
            assertThat(session.noRoutes().singleMessage(Unhandled.class).id()).isEqualTo("u");
        });
    }

    @Test
    void invokeAsyncRunsOnAQueueWorkerAndCompletesWithTheResponse() throws Exception {
        slowRelease = new CountDownLatch(0);
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            Quote quote = bus.invokeAsync(new GetQuote("sku-3"), Quote.class).get(30, TimeUnit.SECONDS);
            assertThat(quote).isEqualTo(new Quote("sku-3", 1999));
            assertThat(quoteThread.getName()).startsWith("critter-get-quote-");
            bus.invokeAsync(new GetQuote("sku-4")).get(30, TimeUnit.SECONDS);
        });
    }

    @Test
    void invokeAsyncFailsWithTheHandlersExceptionAfterItsRetries() {
        CritterContexts.scanning(InvokeTests.class).withPropertyValues("critter.errors.retry-cooldowns=1ms")
                .run(context -> {
                    CompletableFuture<Void> future = context.getBean(IMessageBus.class).invokeAsync(new Explode(false));
                    assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .hasCauseExactlyInstanceOf(IllegalStateException.class);
                });
    }

    @Test
    void invokeAsyncTimesOutWithReplyTimeoutException() {
        slowRelease = new CountDownLatch(1);
        CritterContexts.scanning(InvokeTests.class).withPropertyValues("critter.invoke.timeout=200ms").run(context -> {
            CompletableFuture<Answer> future = context.getBean(IMessageBus.class)
                    .invokeAsync(new SlowQuestion("q"), Answer.class);
            await().atMost(Duration.ofSeconds(30)).until(future::isDone);
            assertThatThrownBy(future::join).hasCauseExactlyInstanceOf(ReplyTimeoutException.class)
                    .hasMessageContaining(SlowQuestion.class.getName());
            slowRelease.countDown();
        });
    }

    @Test
    void invokeAsyncWithoutHandlerFailsWithNoHandler() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            CompletableFuture<Void> future = context.getBean(IMessageBus.class).invokeAsync(new Unhandled("x"));
            assertThatThrownBy(future::join).hasCauseExactlyInstanceOf(NoHandlerException.class);
        });
    }

    @Test
    void aNestedInvokeInsideAHandlerHoldsItsCascadesForTheOuterHandler() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class)
                    .publishAndWait(new CallsInvoke("n", false));
            assertThat(session.executed().singleMessage(InnerDone.class).id()).isEqualTo("n");
            assertThat(session.executed().singleMessage(Inner.class).id()).isEqualTo("n");
        });
        CritterContexts.scanning(InvokeTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    TrackedSession failed = context.getBean(MessageTracking.class).allowingFailures()
                            .publishAndWait(new CallsInvoke("f", true));
                    assertThat(failed.executed().singleMessage(Inner.class).id()).isEqualTo("f");
                    // the nested handler succeeded, but its cascade waited for the outer one, which failed
                    assertThat(failed.sent().messagesOf(InnerDone.class)).isEmpty();
                    assertThat(failed.deadLettered().singleMessage(CallsInvoke.class).id()).isEqualTo("f");
                });
    }

    @Test
    void deliveryOptionsSetTenantCorrelationHeadersAndCausationFlowsToCascades() {
        CritterContexts.scanning(InvokeTests.class).run(context -> {
            TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() ->
                    context.getBean(IMessageBus.class).publish(new GetQuote("sku-5"), DeliveryOptions.builder()
                            .tenantId("acme").correlationId("corr-1").header("origin", "test").build()));
            var request = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof GetQuote).findFirst().orElseThrow();
            var cascade = session.executed().envelopes().stream()
                    .filter(e -> e.message() instanceof Quote).findFirst().orElseThrow();
            assertThat(request.tenantId()).isEqualTo("acme");
            assertThat(request.headers()).containsEntry("origin", "test");
            assertThat(cascade.tenantId()).isEqualTo("acme");
            assertThat(cascade.correlationId()).isEqualTo("corr-1");
            assertThat(cascade.causationId()).isEqualTo(request.id());
            assertThat(cascade.id().version()).isEqualTo(7);
        });
    }
}
