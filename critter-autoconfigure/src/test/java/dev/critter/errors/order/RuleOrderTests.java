package dev.critter.errors.order;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetters;
import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleOrderTests {

    public interface Payment { }
    public record CardPayment(String id) implements Payment { }

    static final AtomicInteger attempts = new AtomicInteger();

    public static class CardPaymentHandler {
        public void handle(CardPayment payment) {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("card refused: " + payment.id());
        }
    }

    @Test
    void theFirstMatchingMessageTypeRuleInDeclarationOrderWinsAcrossTypesAndSupertypes() {
        attempts.set(0);
        CritterContexts.scanning(RuleOrderTests.class)
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.forMessage(CardPayment.class).onException(IOException.class).retryTimes(2);
                    o.forMessage(Payment.class).onException(IllegalArgumentException.class).discard();
                    o.forMessage(CardPayment.class).onException(RuntimeException.class).retryTimes(1);
                })
                .run(context -> {
                    TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                            .publishAndWait(new CardPayment("p-1"));
                    assertThat(attempts).hasValue(1);
                    assertThat(session.deadLettered().envelopes()).isEmpty();
                    assertThat(context.getBean(DeadLetters.class).count()).isZero();
                });
    }

    /** Exceptions whose causes point back at each other. */
    static final class Looping extends RuntimeException {
        private Throwable cause;

        Looping(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }

    public record Loop(String id) { }

    public static class LoopHandler {
        public void handle(Loop loop) {
            Looping first = new Looping("first");
            Looping second = new Looping("second");
            first.cause = second;
            second.cause = first;
            throw first;
        }
    }

    @Test
    void aRuleIsMatchedAgainstAnExceptionWhoseCausesFormACycle() {
        CritterContexts.scanning(RuleOrderTests.class)
                .withBean(CritterConfigurer.class, () -> o -> o.onException(IOException.class).discard())
                .withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    IMessageBus bus = context.getBean(IMessageBus.class);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.invoke(new Loop("l")))
                            .isInstanceOf(Looping.class);
                });
    }
}
