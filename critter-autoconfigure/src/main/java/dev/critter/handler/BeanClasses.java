package dev.critter.handler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The classes the context's beans are instances of (each bean's type and its superclasses), read
 * once from the bean factory: a handler class no bean is an instance of needs no look-up by type.
 * Such a look-up matches the class against every bean of the context, so one per handler class
 * costs start-up 100 × the context's beans for 100 handlers, and makes the bean factory's type
 * matching hot enough for the JIT to compile it, which costs more than the look-ups themselves.
 * Only a "no" is final: for a class some bean may be an instance of, the caller still asks the
 * bean factory which beans those are.
 */
final class BeanClasses {

    private final @Nullable Set<Class<?>> classes;

    private BeanClasses(@Nullable Set<Class<?>> classes) {
        this.classes = classes;
    }

    /**
     * Reads the types of the factory's beans, as a look-up by type would see them: predicted
     * without creating anything (a factory bean's product, and the factory bean itself).
     * @param beanFactory the application's bean factory
     * @return the bean classes; when a type cannot be read, one that answers "maybe" for every class
     */
    static BeanClasses of(ConfigurableListableBeanFactory beanFactory) {
        List<String> names = new ArrayList<>(Arrays.asList(beanFactory.getBeanDefinitionNames()));
        names.addAll(Arrays.asList(beanFactory.getSingletonNames()));
        Set<Class<?>> classes = new HashSet<>();
        try {
            for (String name : names) {
                addWithSuperclasses(classes, beanFactory.getType(name, false));
                if (beanFactory.isFactoryBean(name)) {
                    addWithSuperclasses(classes, beanFactory.getType(BeanFactory.FACTORY_BEAN_PREFIX + name, false));
                }
            }
        } catch (BeansException ex) {
            // A type that cannot be read here may still match a look-up: answer "maybe" throughout.
            return unknown();
        }
        return new BeanClasses(classes);
    }

    /**
     * For a bean factory whose beans cannot be listed.
     * @return bean classes that answer "maybe" for every class
     */
    static BeanClasses unknown() {
        return new BeanClasses(null);
    }

    /**
     * @param type a handler class
     * @return {@code false} when no bean is an instance of it; {@code true} when one may be
     */
    boolean mayInclude(Class<?> type) {
        return classes == null || classes.contains(type);
    }

    private static void addWithSuperclasses(Set<Class<?>> classes, @Nullable Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!classes.add(c)) {
                return;
            }
        }
    }
}
