package dev.critter.injection.instances;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.CritterDiagnostics;
import dev.critter.CritterDiagnostics.HandlerChainDescription;
import dev.critter.handler.HandlerConfigurationException;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance handlers are the context's bean of their class when there is one; otherwise Critter
 * creates one instance through the bean factory, with constructor injection.
 */
class HandlerInstanceTests {

    public record Count(String id) { }
    public record Create(String id) { }

    /** A bean the created handler's constructor asks for. */
    public static class Ledger {
    }

    static final List<Object> countHandlers = new CopyOnWriteArrayList<>();
    static final List<Object> createHandlers = new CopyOnWriteArrayList<>();
    static final List<Object> ledgers = new CopyOnWriteArrayList<>();

    public static class CountHandler {
        public void handle(Count count) {
            countHandlers.add(this);
        }
    }

    public static class CreateHandler {
        private final Ledger ledger;

        public CreateHandler(Ledger ledger) {
            this.ledger = ledger;
        }

        public void handle(Create create) {
            createHandlers.add(this);
            ledgers.add(ledger);
        }
    }

    @BeforeEach
    void reset() {
        countHandlers.clear();
        createHandlers.clear();
        ledgers.clear();
    }

    private static ApplicationContextRunner runner() {
        return CritterContexts.scanning(HandlerInstanceTests.class)
                .withBean("ledger", Ledger.class)
                .withBean("countHandler", CountHandler.class);
    }

    @Test
    void aHandlerThatIsABeanInTheContextIsThatBean() {
        runner().run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.publishAndWait(new Count("1"));
            tracking.invokeAndWait(new Count("2"));
            assertThat(countHandlers).hasSize(2).allSatisfy(h -> assertThat(h).isSameAs(context.getBean(CountHandler.class)));
            assertThat(sourceTextOf(context, Count.class)).contains("handler instance: Spring bean 'countHandler'");
        });
    }

    @Test
    void aHandlerThatIsNotABeanIsCreatedOnceThroughTheBeanFactoryWithConstructorInjection() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(CreateHandler.class);
            MessageTracking tracking = context.getBean(MessageTracking.class);
            tracking.publishAndWait(new Create("1"));
            tracking.publishAndWait(new Create("2"));
            tracking.invokeAndWait(new Create("3"));
            assertThat(createHandlers).hasSize(3).containsOnly(createHandlers.get(0));
            assertThat(ledgers).hasSize(3).allSatisfy(c -> assertThat(c).isSameAs(context.getBean(Ledger.class)));
            assertThat(sourceTextOf(context, Create.class)).contains("handler instance: created by Critter");
        });
    }

    @Test
    void twoBeansOfAHandlerClassFailStartUpNamingBoth() {
        runner().withBean("anotherCountHandler", CountHandler.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(HandlerConfigurationException.class)
                    .hasMessageContaining(CountHandler.class.getName())
                    .hasMessageContaining("countHandler").hasMessageContaining("anotherCountHandler");
        });
    }

    private static String sourceTextOf(AssertableApplicationContext context, Class<?> messageType) {
        return context.getBean(CritterDiagnostics.class).handlerChains().stream()
                .filter(c -> c.messageType().equals(messageType.getName())).findFirst()
                .map(HandlerChainDescription::sourceText).orElseThrow();
    }
}
