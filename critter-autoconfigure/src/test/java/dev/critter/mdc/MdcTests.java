package dev.critter.mdc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.runtime.MessageMdc;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TrackedSession;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EchoEncoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
    void withQueuedQueuedHandlersGetTheEntriesAndInlineInvokeKeepsTheCallersMdcUntouched() {
        CritterContexts.scanning(MdcTests.class).withPropertyValues("critter.logging.mdc=queued").run(context -> {
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

    @Test
    void byDefaultQueuedHandlersGetTheEntriesWhenALogPatternWritesThem() {
        onlyAppender(patternAppender("%msg %X{critter.message.id}%n"), () ->
                CritterContexts.scanning(MdcTests.class).run(context -> {
                    context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
                    assertThat(seen.get("a-1")).containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName());

                    context.getBean(IMessageBus.class).invoke(new Lookup("l-1"));
                    assertThat(seen.get("l-1")).as("inline invoke keeps the caller's MDC as it is")
                            .doesNotContainKeys(MessageMdc.MESSAGE_ID, MessageMdc.MESSAGE_TYPE);
                }));
    }

    @Test
    void byDefaultHandlersRunWithoutTheEntriesWhenNoAppenderWritesThem() {
        onlyAppender(patternAppender("%d %-5level [%X{traceId:-},%X{spanId:-}] %logger - %msg%n"), () ->
                CritterContexts.scanning(MdcTests.class).run(context -> {
                    context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
                    assertThat(seen.get("a-1")).doesNotContainKeys(MessageMdc.MESSAGE_ID, MessageMdc.MESSAGE_TYPE,
                            MessageMdc.HANDLER, MessageMdc.TENANT);
                }));
    }

    @Test
    void byDefaultAnEncoderCritterCannotReadCountsAsWritingTheEntries() {
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setContext(loggers);
        json.setName("json");
        EchoEncoder<ILoggingEvent> encoder = new EchoEncoder<>();
        encoder.setContext(loggers);
        json.setEncoder(encoder);
        onlyAppender(json, () -> CritterContexts.scanning(MdcTests.class).run(context -> {
            context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
            assertThat(seen.get("a-1")).containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName());
        }));
    }

    @Test
    void anExplicitQueuedPutsTheEntriesWhateverTheLoggingConfiguration() {
        onlyAppender(patternAppender("%msg%n"), () ->
                CritterContexts.scanning(MdcTests.class).withPropertyValues("critter.logging.mdc=queued").run(context -> {
                    context.getBean(MessageTracking.class).publishAndWait(new Audit("a-1"));
                    assertThat(seen.get("a-1")).containsEntry(MessageMdc.MESSAGE_TYPE, Audit.class.getName());
                }));
    }

    private static ConsoleAppender<ILoggingEvent> patternAppender(String pattern) {
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(loggers);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(loggers);
        appender.setName("pattern");
        appender.setEncoder(encoder);
        return appender;
    }

    /** Runs the test with {@code appender} as Logback's only appender, then puts the others back. */
    private static void onlyAppender(Appender<ILoggingEvent> appender, Runnable test) {
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        Map<Logger, List<Appender<ILoggingEvent>>> detached = new LinkedHashMap<>();
        for (Logger logger : loggers.getLoggerList()) {
            List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
            logger.iteratorForAppenders().forEachRemaining(appenders::add);
            if (!appenders.isEmpty()) {
                detached.put(logger, appenders);
                appenders.forEach(logger::detachAppender);
            }
        }
        Logger root = loggers.getLogger(Logger.ROOT_LOGGER_NAME);
        appender.start();
        root.addAppender(appender);
        try {
            test.run();
        } finally {
            root.detachAppender(appender);
            appender.stop();
            detached.forEach((logger, appenders) -> appenders.forEach(logger::addAppender));
        }
    }
}
