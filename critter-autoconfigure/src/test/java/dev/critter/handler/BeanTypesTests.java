package dev.critter.handler;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.GenericBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BeanTypes} may answer "maybe" too often, never "no" where Spring's look-up by type finds
 * a bean: each case sets a bean factory up, then compares the answer with
 * {@code getBeanNamesForType(type, true, false)} for the handler class, a subclass and an
 * unrelated class.
 */
class BeanTypesTests {

    public static class Handler {
    }

    public static class SubHandler extends Handler {
    }

    public static class Unrelated {
    }

    public interface Marker {
    }

    public static class MarkedHandler extends Handler implements Marker {
    }

    /** The factory bean's own class too: Spring's look-up also finds a factory bean itself ("&name"). */
    private static final List<Class<?>> ASKED = List.of(Handler.class, SubHandler.class, Unrelated.class,
            MarkedHandler.class, HandlerFactory.class);

    @Test
    void unrelatedBeansOnlyLeaveNoDoubt() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            f.registerBeanDefinition("unrelated", new GenericBeanDefinition(definitionOf(Unrelated.class)));
            f.registerSingleton("manual", "a string");
            f.preInstantiateSingletons();
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isFalse();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aCreatedSingletonOfTheClassOrASubclass() {
        assertAgreesWithSpring(factoryWith(f -> {
            f.registerBeanDefinition("sub", definitionOf(SubHandler.class));
            f.preInstantiateSingletons();
        }));
    }

    @Test
    void aLazyDefinitionNotCreatedYet() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            AbstractBeanDefinition lazy = definitionOf(Handler.class);
            lazy.setLazyInit(true);
            f.registerBeanDefinition("lazy", lazy);
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aBeanDeclaredAsASupertypeMayBeOne() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            AbstractBeanDefinition declared = BeanDefinitionBuilder
                    .genericBeanDefinition(Object.class, MarkedHandler::new).setLazyInit(true).getBeanDefinition();
            f.registerBeanDefinition("declaredAsObject", declared);
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aBeanCreatedAfterTheFirstAnswerIsSeen() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            AbstractBeanDefinition lazy = BeanDefinitionBuilder
                    .genericBeanDefinition(Marker.class, MarkedHandler::new).setLazyInit(true).getBeanDefinition();
            f.registerBeanDefinition("marker", lazy);
        });
        BeanTypes types = new BeanTypes(factory);
        types.mayHaveBeanOf(Unrelated.class);

        factory.getBean("marker");

        assertThat(types.mayHaveBeanOf(Handler.class)).isTrue();
        assertThat(factory.getBeanNamesForType(Handler.class, true, false)).containsExactly("marker");
    }

    @Test
    void aSingletonRegisteredByHandAfterTheFirstAnswerIsSeen() {
        DefaultListableBeanFactory factory = factoryWith(f -> { });
        BeanTypes types = new BeanTypes(factory);
        assertThat(types.mayHaveBeanOf(Handler.class)).isFalse();

        factory.registerSingleton("handler", new SubHandler());

        assertThat(types.mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aCreatedFactoryBeanByItsProductAndItself() {
        assertAgreesWithSpring(factoryWith(f -> {
            f.registerBeanDefinition("product", definitionOf(HandlerFactory.class));
            f.preInstantiateSingletons();
        }));
    }

    @Test
    void aSmartFactoryBeanMayMatchMoreThanItsObjectType() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            f.registerBeanDefinition("smart", definitionOf(SupportingFactory.class));
            f.preInstantiateSingletons();
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aFactoryBeanNotCreatedYet() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            AbstractBeanDefinition lazy = definitionOf(HandlerFactory.class);
            lazy.setLazyInit(true);
            f.registerBeanDefinition("lazyFactory", lazy);
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aDefinitionWhoseClassCannotBeLoadedLeavesItToSpring() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            GenericBeanDefinition missing = new GenericBeanDefinition();
            missing.setBeanClassName("com.example.DoesNotExist");
            missing.setLazyInit(true);
            f.registerBeanDefinition("missing", missing);
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    @Test
    void anAbstractDefinitionIsNoBean() {
        DefaultListableBeanFactory factory = factoryWith(f -> {
            AbstractBeanDefinition parent = definitionOf(Handler.class);
            parent.setAbstract(true);
            f.registerBeanDefinition("template", parent);
        });

        assertThat(new BeanTypes(factory).mayHaveBeanOf(Unrelated.class)).isFalse();
        assertAgreesWithSpring(factory);
    }

    @Test
    void aBeanMethodThatReturnedNullIsMatchedByItsDeclaredType() {
        // Spring's look-up matches a null bean (NullBean) by its definition's type, as before it was created.
        DefaultListableBeanFactory factory = factoryWith(f -> {
            f.registerBeanDefinition("disabled",
                    BeanDefinitionBuilder.genericBeanDefinition(Handler.class, () -> null).getBeanDefinition());
            f.preInstantiateSingletons();
        });

        assertThat(factory.getBeanNamesForType(Handler.class, true, false)).containsExactly("disabled");
        assertThat(new BeanTypes(factory).mayHaveBeanOf(Handler.class)).isTrue();
        assertAgreesWithSpring(factory);
    }

    private static DefaultListableBeanFactory factoryWith(Consumer<DefaultListableBeanFactory> setUp) {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        setUp.accept(factory);
        return factory;
    }

    private static AbstractBeanDefinition definitionOf(Class<?> type) {
        return BeanDefinitionBuilder.genericBeanDefinition(type).getBeanDefinition();
    }

    /** Wherever Spring finds a bean, the answer is "maybe". */
    private static void assertAgreesWithSpring(DefaultListableBeanFactory factory) {
        BeanTypes types = new BeanTypes(factory);
        for (Class<?> asked : ASKED) {
            String[] found = factory.getBeanNamesForType(asked, true, false);
            if (found.length > 0) {
                assertThat(types.mayHaveBeanOf(asked)).as("beans %s of %s", List.of(found), asked.getSimpleName())
                        .isTrue();
            }
        }
    }

    public static class HandlerFactory implements FactoryBean<Handler> {
        @Override
        public Handler getObject() {
            return new SubHandler();
        }

        @Override
        public Class<?> getObjectType() {
            return Handler.class;
        }
    }

    /** Makes an {@link Unrelated} but says it supports {@link Handler} too. */
    public static class SupportingFactory implements SmartFactoryBean<Object> {
        @Override
        public Object getObject() {
            return new MarkedHandler();
        }

        @Override
        public Class<?> getObjectType() {
            return Unrelated.class;
        }

        @Override
        public boolean supportsType(Class<?> type) {
            return type.isAssignableFrom(MarkedHandler.class);
        }
    }
}
