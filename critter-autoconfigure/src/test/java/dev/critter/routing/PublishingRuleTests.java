package dev.critter.routing;

import java.util.List;
import java.util.Map;

import dev.critter.CritterConfigurer;
import dev.critter.CritterDiagnostics;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublishingRuleTests {

    public interface DomainEvent { }
    public record OrderShipped(String id) implements DomainEvent { }
    public record OrderCancelled(String id) implements DomainEvent { }
    public static class Notice { }
    public static class UrgentNotice extends Notice { }

    public static class EventsHandler {
        public void handle(DomainEvent event) {
        }

        public void handle(Notice notice) {
        }
    }

    @Test
    void messagesImplementingRoutesEveryImplementationToTheNamedQueue() {
        CritterContexts.scanning(PublishingRuleTests.class)
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.publish(r -> r.messagesImplementing(DomainEvent.class).toLocalQueue("events"));
                    o.localQueue("events").sequential();
                })
                .run(context -> {
                    TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new OrderShipped("1"));
                    assertThat(session.received().envelopes()).hasSize(1);
                    assertThat(session.events()).anyMatch(e -> e.kind().name().equals("RECEIVED")
                            && e.detail().equals("local://events"));
                    Map<String, List<String>> routes = context.getBean(CritterDiagnostics.class).routes();
                    assertThat(routes.get(DomainEvent.class.getName())).containsExactly("local://events");
                    assertThat(context.getBean(CritterDiagnostics.class).localQueues())
                            .extracting(CritterDiagnostics.LocalQueueDescription::name)
                            .contains("events").doesNotContain("domain-event");
                });
    }

    @Test
    void aRuleForExactlyABaseClassLeavesItsSubclassesOnTheConventionalQueue() {
        CritterContexts.scanning(PublishingRuleTests.class)
                .withBean(CritterConfigurer.class, () -> o ->
                        o.publish(r -> r.message(Notice.class).toLocalQueue("notices")))
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    TrackedSession base = tracking.publishAndWait(new Notice());
                    assertThat(base.events()).anyMatch(e -> e.kind().name().equals("RECEIVED")
                            && e.detail().equals("local://notices"));
                    TrackedSession subclass = tracking.publishAndWait(new UrgentNotice());
                    assertThat(subclass.noRoutes().isEmpty()).isTrue();
                    assertThat(subclass.events()).anyMatch(e -> e.kind().name().equals("RECEIVED")
                            && e.detail().equals("local://notice"));
                    assertThat(subclass.executed().messagesOf(UrgentNotice.class)).hasSize(1);
                });
    }
}
