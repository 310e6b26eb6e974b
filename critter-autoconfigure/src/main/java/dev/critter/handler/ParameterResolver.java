package dev.critter.handler;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.critter.Envelope;
import dev.critter.Header;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;
import dev.critter.TenantId;
import dev.critter.invoker.ArgumentSource;
import dev.critter.transaction.HandlerTransaction;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.MethodParameter;

/**
 * Decides, once at start-up, where each handler parameter's value comes from: the message,
 * per-message values ({@link MessageContext}, {@link Envelope}, {@link TenantId}, {@link Header})
 * or a Spring bean (by type, honouring {@code @Qualifier}).
 */
final class ParameterResolver {

    private final AutowireCapableBeanFactory beanFactory;
    private final Set<Class<?>> handledTypes;

    /**
     * @param beanFactory resolves bean parameters
     * @param handledTypes the message types of every handler method, so that a message type in
     *        a later parameter is reported as such rather than as a missing bean
     */
    ParameterResolver(AutowireCapableBeanFactory beanFactory, Set<Class<?>> handledTypes) {
        this.beanFactory = beanFactory;
        this.handledTypes = Set.copyOf(handledTypes);
    }

    /**
     * @param transaction the method's transaction, which a {@code Connection} parameter is the
     *        connection of (a {@code Connection} parameter always makes the method transactional)
     */
    List<ArgumentSource> resolve(Method method, @Nullable HandlerTransaction transaction) {
        // HandlerMethods.of only returns methods with a parameter; those without are near misses.
        Class<?>[] types = method.getParameterTypes();
        List<ArgumentSource> sources = new ArrayList<>(types.length);
        sources.add(new ArgumentSource.Message());
        for (int i = 1; i < types.length; i++) {
            sources.add(types[i] == Connection.class && transaction != null
                    ? new ArgumentSource.Supplied(transaction.connection(), Connection.class,
                            "the transaction's JDBC connection (DataSourceUtils.getConnection)")
                    : resolve(method, i));
        }
        return sources;
    }

    private ArgumentSource resolve(Method method, int index) {
        MethodParameter parameter = new MethodParameter(method, index);
        Class<?> type = parameter.getParameterType();
        TenantId tenantId = parameter.getParameterAnnotation(TenantId.class);
        Header header = parameter.getParameterAnnotation(Header.class);
        if (tenantId != null || header != null) {
            if (type != String.class) {
                throw HandlerConfigurationException.forParameter(method, index,
                        (tenantId != null ? "@TenantId" : "@Header") + " needs a String parameter",
                        "Declare the parameter as String");
            }
            return tenantId != null ? new ArgumentSource.TenantIdArg() : new ArgumentSource.HeaderArg(header.value());
        }
        if (type == MessageContext.class || type == IMessageBus.class) {
            return new ArgumentSource.Context();
        }
        if (type == Envelope.class) {
            return new ArgumentSource.EnvelopeArg();
        }
        return resolveBean(method, index, parameter);
    }

    private ArgumentSource resolveBean(Method method, int index, MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (type.isPrimitive() || type == String.class) {
            throw HandlerConfigurationException.forParameter(method, index,
                    "a " + type.getSimpleName() + " cannot be injected (only the first parameter is the message)",
                    "Use @Header(\"name\") String or @TenantId String for per-message values");
        }
        Set<String> beanNames = new LinkedHashSet<>();
        Object bean;
        try {
            bean = beanFactory.resolveDependency(new DependencyDescriptor(parameter, true), null, beanNames, null);
        } catch (NoUniqueBeanDefinitionException ex) {
            throw HandlerConfigurationException.forParameter(method, index,
                    ex.getNumberOfBeansFound() + " beans of type " + type.getName() + " match " + ex.getBeanNamesFound(),
                    "Add @Qualifier(\"name\") to the parameter or mark one bean @Primary");
        } catch (BeansException ex) {
            rejectMessageType(method, index, type);
            throw HandlerConfigurationException.forParameter(method, index,
                    "no bean of type " + type.getName() + " (" + ex.getMessage() + ")",
                    "Add a bean of type " + type.getSimpleName());
        }
        if (bean == null) {
            rejectMessageType(method, index, type);
            throw HandlerConfigurationException.forParameter(method, index,
                    "no bean of type " + type.getName() + " and it is not a per-message value"
                            + " (MessageContext, IMessageBus, Envelope, @TenantId String, @Header String)",
                    "Add a bean of type " + type.getSimpleName());
        }
        String name = beanNames.isEmpty() ? "?" : beanNames.iterator().next();
        return new ArgumentSource.Bean(bean, "bean '" + name + "' (" + type.getSimpleName() + ")");
    }

    /**
     * A parameter that is no bean but a handled message is a second message: tell the user that,
     * not to add a bean of a message type.
     */
    private void rejectMessageType(Method method, int index, Class<?> type) {
        for (Class<?> handled : handledTypes) {
            if (handled != Object.class && handled.isAssignableFrom(type)) {
                throw HandlerConfigurationException.forParameter(method, index,
                        "a handler takes one message, as its first parameter, and " + type.getSimpleName()
                                + " is a message type handled here",
                        "Handle " + type.getSimpleName() + " in its own method, handle(" + type.getSimpleName()
                                + "), and carry what this handler needs from it in "
                                + method.getParameterTypes()[0].getSimpleName());
            }
        }
    }
}
