package dev.critter.requests;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.ReplyTimeoutException;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RequestReplyTests {

    public record SlowQuestion(String id) { }
    public record Answer(String text) { }
    /** Handled by two chains: one prices it, one audits it and fails its first attempt. */
    public record PriceRequest(String sku, boolean pricingFails) { }
    public record Price(String sku, int cents) { }
    public record WrongReply(String id) { }

    static volatile CountDownLatch slowRelease = new CountDownLatch(0);

    public static class QuestionHandler {
        public Answer handle(SlowQuestion question) throws InterruptedException {
            slowRelease.await(30, TimeUnit.SECONDS);
            return new Answer("late " + question.id());
        }

        public void handle(Answer answer) {
        }

        public void handle(WrongReply wrong, MessageContext context) {
            context.respond("not a price");
        }
    }

    public static class PricingHandler {
        public Price handle(PriceRequest request) {
            if (request.pricingFails()) {
                throw new IllegalArgumentException("no price for " + request.sku());
            }
            return new Price(request.sku(), 250);
        }
    }

    public static class AuditHandler {
        public void handle(PriceRequest request, MessageContext context) throws IOException {
            if (context.attempts() == 1) {
                throw new IOException("audit log busy");
            }
        }
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(RequestReplyTests.class)
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.forMessage(PriceRequest.class).onException(IOException.class).requeue();
                    o.onException(IllegalArgumentException.class).discard();
                });
    }

    @Test
    void theReplyOfARequestWhoseCallerTimedOutIsDroppedNotPublished() {
        slowRelease = new CountDownLatch(1);
        runner().withPropertyValues("critter.invoke.timeout=100ms", "critter.local.queues.slow-question.parallelism=1")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    TrackedSession session = context.getBean(MessageTracking.class).executeAndWait(() -> {
                        // The first request holds the only worker; the second times out while it waits.
                        CompletableFuture<Answer> first = bus.invokeAsync(new SlowQuestion("first"), Answer.class);
                        CompletableFuture<Answer> waiting = bus.invokeAsync(new SlowQuestion("q"), Answer.class);
                        await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() && waiting.isDone());
                        assertThatThrownBy(waiting::join).hasCauseInstanceOf(ReplyTimeoutException.class);
                        slowRelease.countDown();
                    });
                    assertThat(session.executed().messagesOf(SlowQuestion.class)).hasSize(2);
                    assertThat(session.sent().messagesOf(Answer.class)).isEmpty();
                });
    }

    @Test
    void aRequeueOfAnotherChainDoesNotCompleteTheRequestWithoutTheResponse() {
        runner().run(context -> {
            Price price = context.getBean(IMessageBus.class)
                    .invokeAsync(new PriceRequest("sku-1", false), Price.class).get(30, TimeUnit.SECONDS);
            assertThat(price).isEqualTo(new Price("sku-1", 250));
        });
    }

    @Test
    void aRequeueOfAnotherChainDoesNotHideAChainThatFailedForGood() {
        runner().run(context -> {
            CompletableFuture<Price> future = context.getBean(IMessageBus.class)
                    .invokeAsync(new PriceRequest("sku-2", true), Price.class);
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void aReplyOfTheWrongTypeFailsTheRequestWithAClearError() {
        runner().run(context -> {
            CompletableFuture<Price> future = context.getBean(IMessageBus.class)
                    .invokeAsync(new WrongReply("w"), Price.class);
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClassCastException.class)
                    .hasMessageContaining("java.lang.String").hasMessageContaining(Price.class.getName())
                    .hasMessageContaining("QuestionHandler.handle(WrongReply");
        });
    }
}
