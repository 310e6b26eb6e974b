package dev.critter.discovery.inherited;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;
import dev.critter.testing.TrackingException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two handler classes that inherit the same handler method from one base class are two
 * handlers: each runs, each is named in diagnostics, and a failure of one is retried, tracked
 * and replayed on that one, never on its sibling.
 */
class InheritedHandlerMethodTests {

    public record Audited(String id) { }

    static final List<String> ran = new CopyOnWriteArrayList<>();
    static final AtomicBoolean secondFails = new AtomicBoolean();

    public abstract static class RecordingHandler {
        public void handle(Audited audited) {
            String me = getClass().getSimpleName();
            if (this instanceof SecondAuditHandler && secondFails.get()) {
                ran.add(me + " failed");
                throw new IllegalStateException(me + " cannot audit " + audited.id());
            }
            ran.add(me);
        }
    }

    public static class FirstAuditHandler extends RecordingHandler {
    }

    public static class SecondAuditHandler extends RecordingHandler {
    }

    @BeforeEach
    void reset() {
        ran.clear();
        secondFails.set(false);
    }

    @Test
    void eachSubclassRunsTheInheritedMethodOnce() {
        CritterContexts.scanning(InheritedHandlerMethodTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Audited("a-1"));
            assertThat(ran).containsExactlyInAnyOrder("FirstAuditHandler", "SecondAuditHandler");
        });
    }

    @Test
    void diagnosticsNameEachSubclassAsItsOwnHandler() {
        CritterContexts.scanning(InheritedHandlerMethodTests.class).run(context -> {
            List<HandlerChainDescription> chains = context.getBean(CritterDiagnostics.class).handlerChains();
            assertThat(chains).extracting(HandlerChainDescription::handler).containsExactlyInAnyOrder(
                    FirstAuditHandler.class.getName() + ".handle(Audited)",
                    SecondAuditHandler.class.getName() + ".handle(Audited)");
        });
    }

    @Test
    void aFailureOfOneSubclassIsNotHiddenByTheSuccessOfItsSibling() {
        CritterContexts.scanning(InheritedHandlerMethodTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    secondFails.set(true);
                    TrackedSession session = context.getBean(MessageTracking.class).allowingFailures()
                            .publishAndWait(new Audited("a-2"));
                    assertThat(session.deadLettered().singleMessage(Audited.class)).isEqualTo(new Audited("a-2"));
                    // without allowingFailures the session must fail: the second handler never succeeded
                    assertThatThrownBy(() -> context.getBean(MessageTracking.class)
                            .publishAndWait(new Audited("a-3")))
                            .isInstanceOf(TrackingException.class)
                            .hasMessageContaining("SecondAuditHandler.handle(Audited) threw");
                });
    }

    @Test
    void aReplayedDeadLetterRunsTheSubclassThatFailed() {
        CritterContexts.scanning(InheritedHandlerMethodTests.class).withPropertyValues("critter.errors.retry-cooldowns=")
                .run(context -> {
                    secondFails.set(true);
                    context.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Audited("a-4"));
                    assertThat(ran).containsExactlyInAnyOrder("FirstAuditHandler", "SecondAuditHandler failed");

                    secondFails.set(false);
                    ran.clear();
                    DeadLetters deadLetters = context.getBean(DeadLetters.class);
                    DeadLetter letter = deadLetters.list().get(0);
                    assertThat(deadLetters.replay(letter.id())).isTrue();
                    await().atMost(Duration.ofSeconds(5)).until(() -> !ran.isEmpty());
                    assertThat(ran).containsExactly("SecondAuditHandler");
                });
    }
}
