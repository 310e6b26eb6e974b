package dev.critter.mdc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.runtime.MessageMdc;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** The message id, type, handler and tenant are in the logging MDC while a handler runs, and only then. */
class MdcTests {

    public record Audit(String id) { }
    public record Lookup(String id) { }

    /** What the MDC held inside each handler, by the message's id. */
    static final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

    public static class AuditHandler {
        public void handle(Audit audit, IMessageBus bus) {
            seen.put(audit.id(), copy());
            // An inline invoke inside a handler: its own entries while it runs, ours again after.
            bus.invoke(new Lookup(audit.id() + "/lookup"));
            seen.put(audit.id() + "/after", copy());
        }
    }

    public static class LookupHandler {
        public void handle(Lookup lookup) {
            seen.put(lookup.id(), copy());
        }
    }

    private static Map<String, String> copy() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return mdc == null ? Map.of() : Map.copyOf(mdc);
    }

    @BeforeEach
    void reset() {
        seen.clear();
        MDC.clear();
    }

    @Test
    void aQueuedHandlerLogsWithTheMessageIdTypeHandlerAndTenantAndTheWorkerIsClearedAfterwards() {
        CritterContexts.scanning(MdcTests.class).withPropertyValues("critter.local.queues.audit.parallelism=1",
                        "critter.logging.mdc=all")
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    TrackedSession session = tracking.executeAndWait(() -> context.getBean(IMessageBus.class).publish(new Audit("a-1"),
                            DeliveryOptions.builder().tenantId("acme").build()));
                    String id = session.executed().envelopes().stream()
                            .filter(e -> e.message() instanceof Audit).findFirst().orElseThrow().id().toString();

                    assertThat(seen.get("a-1")).containsEntry(MessageMdc.MESSAGE_ID, id)
                            .containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName())
                            .containsEntry(MessageMdc.HANDLER, "AuditHandler.handle(Audit, IMessageBus)")
                            .containsEntry(MessageMdc.TENANT, "acme");
                    assertThat(seen.get("a-1/lookup")).containsEntry(MessageMdc.MESSAGE_TYPE, Lookup.class.getName())
                            .containsEntry(MessageMdc.HANDLER, "LookupHandler.handle(Lookup)")
                            .containsEntry(MessageMdc.TENANT, "acme")
                            .doesNotContainEntry(MessageMdc.MESSAGE_ID, id);
                    assertThat(seen.get("a-1/after")).as("the outer handler's entries are back after the invoke")
                            .containsEntry(MessageMdc.MESSAGE_ID, id)
                            .containsEntry(MessageMdc.HANDLER, "AuditHandler.handle(Audit, IMessageBus)");

                    // The same worker (parallelism 1) handles a message without tenant: no stale tenant.
                    tracking.publishAndWait(new Audit("a-2"));
                    assertThat(seen.get("a-2")).containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName())
                            .doesNotContainKey(MessageMdc.TENANT);
                });
    }

    @Test
    void anInlineInvokeLeavesTheCallersOwnEntriesAndRemovesItsOwn() {
        CritterContexts.scanning(MdcTests.class).withPropertyValues("critter.logging.mdc=all").run(context -> {
            MDC.put("request", "r-1");
            context.getBean(IMessageBus.class).invoke(new Lookup("l-1"));

            assertThat(seen.get("l-1")).containsEntry(MessageMdc.HANDLER, "LookupHandler.handle(Lookup)")
                    .containsEntry("request", "r-1");
            assertThat(copy()).containsExactly(Map.entry("request", "r-1"));
        });
    }

    @Test
    void byDefaultQueuedHandlersGetTheEntriesAndInlineInvokeKeepsTheCallersMdcUntouched() {
        CritterContexts.scanning(MdcTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
            assertThat(seen.get("a-1")).containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName());
            assertThat(seen.get("a-1/lookup")).as("the invoke inside the queued handler sees the queued handler's")
                    .containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName());

            context.getBean(IMessageBus.class).invoke(new Lookup("l-1"));
            assertThat(seen.get("l-1")).doesNotContainKeys(MessageMdc.MESSAGE_ID, MessageMdc.MESSAGE_TYPE,
                    MessageMdc.HANDLER, MessageMdc.TENANT);
        });
    }

    @Test
    void withMdcNoneHandlersSeeNoCritterEntries() {
        CritterContexts.scanning(MdcTests.class).withPropertyValues("critter.logging.mdc=none").run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
            assertThat(seen.get("a-1")).doesNotContainKeys(MessageMdc.MESSAGE_ID, MessageMdc.MESSAGE_TYPE,
                    MessageMdc.HANDLER, MessageMdc.TENANT);
        });
    }
}
