package dev.critter.chainids;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChainIdTests {

    static final List<String> handled = new CopyOnWriteArrayList<>();
    static volatile boolean billingFails;

    public static class CreatedHandler {
        public void handle(dev.critter.chainids.billing.Created created) {
            if (billingFails) {
                throw new IllegalStateException("billing down for " + created.id());
            }
            handled.add("billing " + created.id());
        }

        public void handle(dev.critter.chainids.shipping.Created created) {
            handled.add("shipping " + created.id());
        }
    }

    @BeforeEach
    void clear() {
        handled.clear();
        billingFails = false;
    }

    @Test
    void aReplayedDeadLetterRunsTheChainOfItsOwnMessageTypeWhenTwoTypesShareASimpleName() {
        CritterContexts.scanning(ChainIdTests.class)
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.publish(r -> r.message(dev.critter.chainids.billing.Created.class).toLocalQueue("billing")
                            .message(dev.critter.chainids.shipping.Created.class).toLocalQueue("shipping"));
                    o.onException(IllegalStateException.class).moveToDeadLetterQueue();
                })
                .run(context -> {
                    billingFails = true;
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    tracking.allowingFailures().publishAndWait(new dev.critter.chainids.billing.Created("b-1"));
                    DeadLetter letter = context.getBean(DeadLetters.class).list().get(0);

                    billingFails = false;
                    TrackedSession replay = tracking.executeAndWait(
                            () -> context.getBean(DeadLetters.class).replay(letter.id()));
                    assertThat(replay.executed().singleMessage(dev.critter.chainids.billing.Created.class).id())
                            .isEqualTo("b-1");
                    assertThat(handled).containsExactly("billing b-1");
                    assertThat(letter.handler()).isEqualTo(CreatedHandler.class.getName()
                            + "#handle(dev.critter.chainids.billing.Created)");
                });
    }
}
