package dev.critter.handler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Tells, from one pass over the bean factory, which handler classes certainly have no bean, so
 * that Spring's look-up by type ({@code getBeanNamesForType}, a pass over every bean per call) is
 * asked only about the others. Every answer may be "maybe": only Spring's look-up decides which
 * beans there are. With 100 handler classes the 100 passes, and the JIT compiling Spring's type
 * match for them, were a noticeable part of start-up (docs/benchmarks.md, "sixth pass").
 * <p>
 * A handler class certainly has no bean when every bean's type is known and unrelated to it
 * (neither a subtype nor a supertype): the class of each created singleton, the type predicted
 * for each bean not created yet, the product type of each created {@link FactoryBean}. A bean
 * whose type is not known that way (a {@link SmartFactoryBean}, which may match further types; a
 * factory bean not created yet; a type Spring cannot predict) makes every answer "maybe". The pass
 * is taken again when the number of bean definitions or singletons changed since (creating a
 * handler may create a lazy bean); a definition replaced by another of the same name in the
 * middle of building Critter would go unseen, which nothing in start-up does.
 */
final class BeanTypes {

    private static final String NULL_BEAN = "org.springframework.beans.factory.support.NullBean";

    private final ConfigurableListableBeanFactory beanFactory;
    private int definitionCount = -1;
    private int singletonCount = -1;
    private boolean anyUnknown;
    private Set<Class<?>> known = Set.of();
    /** The known types with all their superclasses and interfaces: a handler class among them has a subtype bean. */
    private Set<Class<?>> knownAndTheirSupertypes = Set.of();

    BeanTypes(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * @param handlerClass a handler class
     * @return {@code false} when the bean factory certainly has no bean of that class (or a
     *         subclass); {@code true} when it may have one, and Spring's look-up must tell
     */
    boolean mayHaveBeanOf(Class<?> handlerClass) {
        if (beanFactory.getBeanDefinitionCount() != definitionCount || beanFactory.getSingletonCount() != singletonCount) {
            takeStock();
        }
        if (anyUnknown || knownAndTheirSupertypes.contains(handlerClass)) {
            return true;
        }
        // A bean declared as a supertype of the handler class (Object, an interface) may be one.
        for (Class<?> supertype : supertypesOf(handlerClass)) {
            if (known.contains(supertype)) {
                return true;
            }
        }
        return false;
    }

    private void takeStock() {
        definitionCount = beanFactory.getBeanDefinitionCount();
        singletonCount = beanFactory.getSingletonCount();
        Set<String> names = new LinkedHashSet<>(List.of(beanFactory.getBeanDefinitionNames()));
        names.addAll(List.of(beanFactory.getSingletonNames()));
        Set<Class<?>> types = new HashSet<>();
        boolean unknown = false;
        for (String name : names) {
            try {
                unknown |= !addTypesOf(name, types);
            } catch (RuntimeException ex) {
                // As Spring's look-up skips a bean whose class cannot be loaded, but let it decide.
                unknown = true;
            }
        }
        Set<Class<?>> withSupertypes = new HashSet<>();
        types.forEach(type -> withSupertypes.addAll(supertypesOf(type)));
        this.anyUnknown = unknown;
        this.known = types;
        this.knownAndTheirSupertypes = withSupertypes;
    }

    /** The type itself, its superclasses and all the interfaces they implement. */
    private static Set<Class<?>> supertypesOf(Class<?> type) {
        Set<Class<?>> supertypes = new HashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (supertypes.add(next)) {
                if (next.getSuperclass() != null) {
                    pending.add(next.getSuperclass());
                }
                pending.addAll(List.of(next.getInterfaces()));
            }
        }
        return supertypes;
    }

    /** Spring's stand-in for a bean that is null (package-private {@code NullBean}). */
    private static boolean isNullBean(Object singleton) {
        return singleton.getClass().getName().equals(NULL_BEAN);
    }

    /** Adds the types the bean may match by; {@code false} when they are not known. */
    private boolean addTypesOf(String name, Set<Class<?>> types) {
        if (beanFactory.containsBeanDefinition(name) && beanFactory.getMergedBeanDefinition(name).isAbstract()) {
            return true; // never a bean of its own; Spring's look-up skips it too
        }
        Object singleton = beanFactory.containsSingleton(name) ? beanFactory.getSingleton(name) : null;
        if (singleton instanceof FactoryBean<?> factory) {
            types.add(factory.getClass());
            // A SmartFactoryBean may match further types than its object type (supportsType).
            Class<?> product = factory instanceof SmartFactoryBean<?> ? null : factory.getObjectType();
            if (product != null) {
                types.add(product);
            }
            return product != null;
        }
        // A bean method that returned null leaves a NullBean, which Spring's look-up matches by the
        // definition's type, as before it was created: predicted below, like a bean not created yet.
        if (singleton != null && !isNullBean(singleton)) {
            types.add(singleton.getClass());
            return true;
        }
        if (beanFactory.containsBeanDefinition(name) && beanFactory.isFactoryBean(name)) {
            return false;
        }
        Class<?> predicted = beanFactory.getType(name, false);
        if (predicted != null) {
            types.add(predicted);
        }
        return predicted != null;
    }
}
