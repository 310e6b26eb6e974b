package dev.critter.handler;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.critter.invoker.ArgumentSource;
import dev.critter.invoker.HandlerInvoker;
import dev.critter.invoker.InvokerFactory;
import dev.critter.transaction.HandlerTransaction;
import dev.critter.transaction.HandlerTransactions;

import org.springframework.beans.BeansException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Builds the {@link HandlerGraph} at start-up: finds handler methods, resolves their parameters,
 * obtains handler instances (the context's bean, else one created through the bean factory) and
 * generates an invoker per method.
 */
public final class HandlerGraphBuilder {

    private final AutowireCapableBeanFactory beanFactory;
    private final HandlerTransactions transactions;
    private final InvokerFactory invokers = new InvokerFactory();
    private final @Nullable BeanTypes beanTypes;
    private final Map<Class<?>, Object> instances = new HashMap<>();
    private final Map<Class<?>, String> instanceDescriptions = new HashMap<>();

    /**
     * Creates the builder.
     * @param beanFactory the application's bean factory
     */
    public HandlerGraphBuilder(AutowireCapableBeanFactory beanFactory) {
        this(beanFactory, HandlerTransactions.forClassPath(beanFactory));
    }

    /**
     * Creates the builder.
     * @param beanFactory the application's bean factory
     * @param transactions decides which handlers run in a transaction, and on which transaction manager
     */
    public HandlerGraphBuilder(AutowireCapableBeanFactory beanFactory, HandlerTransactions transactions) {
        this.beanFactory = beanFactory;
        this.transactions = transactions;
        this.beanTypes = beanFactory instanceof ConfigurableListableBeanFactory configurable
                ? new BeanTypes(configurable) : null;
    }

    /**
     * Builds the chains of the discovered handler classes.
     * @param handlerClasses the discovered handler classes
     * @return the graph of their chains
     */
    public HandlerGraph build(List<Class<?>> handlerClasses) {
        return build(handlerClasses, List.of());
    }

    /**
     * Builds the graph, keeping the near misses to name them when a message finds no handler.
     * @param handlerClasses the discovered handler classes
     * @param nearMisses methods that look like handler methods but are not called
     * @return the graph of their chains
     */
    public HandlerGraph build(List<Class<?>> handlerClasses, List<NearMiss> nearMisses) {
        return build(handlerClasses, nearMisses, new MessageTypes());
    }

    /**
     * Builds the graph, registering each handled type in a registry shared with what reads
     * stored and received messages.
     * @param handlerClasses the discovered handler classes
     * @param nearMisses methods that look like handler methods but are not called
     * @param messageTypes the registry the handled types are added to
     * @return the graph of their chains
     */
    public HandlerGraph build(List<Class<?>> handlerClasses, List<NearMiss> nearMisses, MessageTypes messageTypes) {
        List<HandlerChain> chains = new ArrayList<>();
        Set<Class<?>> handledTypes = new HashSet<>();
        for (Class<?> type : handlerClasses) {
            HandlerMethods.of(type).forEach(method -> handledTypes.add(method.getParameterTypes()[0]));
        }
        ParameterResolver parameters = new ParameterResolver(beanFactory, handledTypes);
        for (Class<?> type : handlerClasses) {
            for (Method method : HandlerMethods.of(type)) {
                HandlerChain chain = chainFor(type, method, parameters);
                messageTypes.register(chain.messageClass());
                chains.add(chain);
            }
        }
        return new HandlerGraph(chains, messageTypes, nearMisses);
    }

    private HandlerChain chainFor(Class<?> handlerClass, Method method, ParameterResolver parameters) {
        // Decided before the parameters: a Connection parameter is the transaction's connection.
        HandlerTransaction transaction = transactions.decide(handlerClass, method);
        List<ArgumentSource> arguments = parameters.resolve(method, transaction);
        Class<?> messageClass = method.getParameterTypes()[0];
        if (messageClass.isPrimitive() || messageClass.isArray()) {
            throw HandlerConfigurationException.forParameter(method, 0,
                    "the message type must be a class or interface, not " + messageClass.getSimpleName(),
                    "Wrap the value in a record");
        }
        Object target = HandlerMethods.isStatic(method) ? null : instance(handlerClass);
        String targetDescription = target == null ? "static method" : instanceDescriptions.get(handlerClass);
        if (transaction != null && target != null) {
            transactions.checkInstance(method, transaction, target);
        }
        HandlerInvoker invoker;
        try {
            invoker = invokers.create(method, target, arguments);
        } catch (IllegalArgumentException ex) {
            throw new HandlerConfigurationException("Cannot generate an invoker for " + HandlerMethods.shortName(method)
                    + ": " + ex.getMessage(), "Make the handler class and method public, or mark the method @NotHandler");
        }
        return new HandlerChain(handlerClass, messageClass, MessageTypes.nameOf(messageClass), method, invoker,
                arguments, targetDescription, transaction);
    }

    private Object instance(Class<?> handlerClass) {
        Object existing = instances.get(handlerClass);
        if (existing != null) {
            return existing;
        }
        Object instance;
        String description;
        String[] names = beanFactory instanceof ListableBeanFactory listable
                && (beanTypes == null || beanTypes.mayHaveBeanOf(handlerClass))
                ? listable.getBeanNamesForType(handlerClass, true, false) : new String[0];
        try {
            if (names.length == 1) {
                instance = beanFactory.getBean(names[0], handlerClass);
                description = "Spring bean '" + names[0] + "'";
            } else if (names.length > 1) {
                throw new HandlerConfigurationException(handlerClass.getName() + " has " + names.length
                        + " beans " + List.of(names) + "; Critter cannot tell which one handles messages",
                        "Keep one bean of the handler class, or move the handler methods to their own class");
            } else {
                instance = beanFactory.createBean(handlerClass);
                description = "created by Critter through the bean factory (not a bean in the context)";
            }
        } catch (HandlerConfigurationException ex) {
            throw ex;
        } catch (BeansException ex) {
            throw new HandlerConfigurationException("Cannot create handler " + handlerClass.getName() + ": "
                    + ex.getMostSpecificCause().getMessage(),
                    "Give it a constructor whose parameters are beans, declare it as a bean, or make its handler methods static");
        }
        instances.put(handlerClass, instance);
        instanceDescriptions.put(handlerClass, description);
        return instance;
    }
}
