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
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartFactoryBean;
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
    static final List<Object> otherHandlers = new CopyOnWriteArrayList<>();

    public record Audit(String id) { }
    public record Tally(String id) { }
    public record Note(String id) { }

    /** A bean only as the product of {@link AuditHandlerFactory}. */
    public static class AuditHandler {
        public void handle(Audit audit) {
            otherHandlers.add(this);
        }
    }

    /** Makes the {@link AuditHandler} bean. */
    public static class AuditHandlerFactory implements FactoryBean<AuditHandler> {
        @Override
        public AuditHandler getObject() {
            return new AuditHandler();
        }

        @Override
        public Class<?> getObjectType() {
            return AuditHandler.class;
        }
    }

    /** A bean only as an instance of a subclass, declared as {@code Object}. */
    public static class TallyHandler {
        public void handle(Tally tally) {
            otherHandlers.add(this);
        }
    }

    /** Not named like a handler class: found only as the bean of its superclass. */
    public static class CountingTallies extends TallyHandler {
    }

    /** A bean only as a singleton registered by hand, without a bean definition. */
    public static class NoteHandler {
        public void handle(Note note) {
            otherHandlers.add(this);
        }
    }

    public record Pay(String id) { }

    /** A bean only as the product of {@link PaymentsFactory}, which names a wider type. */
    public static class PayHandler {
        public void handle(Pay pay) {
            otherHandlers.add(this);
        }
    }

    /**
     * Makes a {@link PayHandler}, but declares {@code Object} as its object type: a look-up by type
     * finds it through {@link SmartFactoryBean#supportsType}.
     */
    public static class PaymentsFactory implements SmartFactoryBean<Object> {
        private final PayHandler handler = new PayHandler();

        @Override
        public Object getObject() {
            return handler;
        }

        @Override
        public Class<?> getObjectType() {
            return Object.class;
        }

        @Override
        public <S> S getObject(Class<S> type) {
            return type.cast(handler);
        }

        @Override
        public boolean supportsType(Class<?> type) {
            return type.isAssignableFrom(PayHandler.class);
        }
    }

    public record Borrow(String id) { }
    public record Lend(String id) { }

    /** A lazy bean declared as {@code Object}: its class is known once {@link BorrowHandler} made it. */
    public static class LendHandler {
        public void handle(Lend lend) {
            otherHandlers.add(this);
        }
    }

    /** Created by Critter (its class comes first), it gets the lazy "lender" bean, when there is one. */
    public static class BorrowHandler {
        public BorrowHandler(BeanFactory beanFactory) {
            if (beanFactory.containsBean("lender")) {
                beanFactory.getBean("lender");
            }
        }

        public void handle(Borrow borrow) {
        }
    }

    public record Mute(String id) { }

    /** Its bean method returned null (a handler the application switched off): a null bean, not a class without a bean. */
    public static class MuteHandler {
        public void handle(Mute mute) {
            otherHandlers.add(this);
        }
    }

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
        otherHandlers.clear();
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
    void aHandlerThatIsAFactoryBeansProductASubclassInstanceOrASingletonRegisteredByHandIsThatBean() {
        NoteHandler registered = new NoteHandler();
        runner().withBean("auditHandler", AuditHandlerFactory.class)
                .withBean("tallies", Object.class, CountingTallies::new)
                .withInitializer(context -> context.getBeanFactory().registerSingleton("noteHandler", registered))
                .run(context -> {
                    MessageTracking tracking = context.getBean(MessageTracking.class);
                    tracking.publishAndWait(new Audit("1"));
                    tracking.publishAndWait(new Tally("2"));
                    tracking.publishAndWait(new Note("3"));
                    assertThat(otherHandlers).containsExactly(context.getBean(AuditHandler.class),
                            context.getBean(TallyHandler.class), registered);
                    assertThat(sourceTextOf(context, Audit.class)).contains("handler instance: Spring bean 'auditHandler'");
                    assertThat(sourceTextOf(context, Tally.class)).contains("handler instance: Spring bean 'tallies'");
                    assertThat(sourceTextOf(context, Note.class)).contains("handler instance: Spring bean 'noteHandler'");
                });
    }

    @Test
    void aHandlerThatASmartFactoryBeanSupportsAsATypeIsThatBean() {
        runner().withBean("payments", PaymentsFactory.class).run(context -> {
            assertThat(context).hasNotFailed();
            PayHandler bean = context.getBean("payments", PayHandler.class);
            assertThat(context.getBeanNamesForType(PayHandler.class)).containsExactly("payments");
            context.getBean(MessageTracking.class).publishAndWait(new Pay("1"));
            assertThat(otherHandlers).containsExactly(bean);
            assertThat(sourceTextOf(context, Pay.class)).contains("handler instance: Spring bean 'payments'");
        });
    }

    @Test
    void aHandlerWhoseLazyBeanAnEarlierHandlerMadeIsThatBean() {
        runner().withBean("lender", Object.class, LendHandler::new, definition -> definition.setLazyInit(true))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(MessageTracking.class).publishAndWait(new Lend("1"));
                    assertThat(otherHandlers).containsExactly(context.getBean("lender"));
                });
    }

    @Test
    void aHandlerWhoseBeanMethodReturnedNullIsNotCreatedByCritter() {
        // Spring's look-up finds the null bean by its declared type: start-up fails naming it, as
        // before; Critter must not quietly run an instance of its own the application switched off.
        runner().withBean("muteHandler", MuteHandler.class, () -> null).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(HandlerConfigurationException.class)
                    .hasMessageContaining(MuteHandler.class.getName()).hasMessageContaining("muteHandler");
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
