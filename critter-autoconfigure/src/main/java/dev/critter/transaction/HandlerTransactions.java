package dev.critter.transaction;

import java.lang.reflect.Method;

import dev.critter.CritterConfigurationException;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Decides at start-up, per handler method, whether it runs in a transaction and on which
 * transaction manager (SPEC §2): a method annotated {@code @Transactional} (or in a class that
 * is), or taking a {@code JdbcTemplate}, {@code NamedParameterJdbcTemplate}, {@code JdbcClient},
 * {@code DataSource} or {@code Connection}, runs in one on the application's
 * {@code PlatformTransactionManager}.
 */
public interface HandlerTransactions {

    /**
     * Decides whether a handler method runs in a transaction.
     * @param handlerClass the discovered handler class
     * @param method one of its handler methods
     * @return the chain's transaction, or {@code null} when it runs without one
     * @throws CritterConfigurationException when it needs a transaction Critter cannot give it: no
     *         transaction manager (or spring-tx missing), several and none chosen, a qualifier naming none
     */
    @Nullable HandlerTransaction decide(Class<?> handlerClass, Method method);

    /**
     * Checks the handler instance against its transaction: a Spring proxy whose own transaction
     * interceptor would begin a second, separate transaction fails start-up.
     * @param method the handler method
     * @param transaction what {@link #decide} returned for it
     * @param target the handler instance
     * @throws CritterConfigurationException when the instance would commit the handler's work apart from its cascades
     */
    default void checkInstance(Method method, HandlerTransaction transaction, Object target) {
    }

    /**
     * Returns the decision for the application's class path: with spring-tx, from annotations,
     * parameters and the transaction manager beans; without it, no handler has a transaction and
     * one that needs it fails start-up.
     * @param beanFactory the application's bean factory, where transaction managers are found
     * @return the decision
     */
    static HandlerTransactions forClassPath(AutowireCapableBeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory instanceof ConfigurableBeanFactory configurable
                && configurable.getBeanClassLoader() != null ? configurable.getBeanClassLoader()
                : HandlerTransactions.class.getClassLoader();
        if (ClassUtils.isPresent("org.springframework.transaction.PlatformTransactionManager", classLoader)) {
            return new SpringHandlerTransactions(beanFactory,
                    ClassUtils.isPresent("org.springframework.jdbc.datasource.DataSourceUtils", classLoader));
        }
        return (handlerClass, method) -> {
            String reason = TransactionalParameters.reason(method);
            if (reason != null) {
                throw new CritterConfigurationException(HandlerNames.of(handlerClass, method)
                        + " must run in a transaction (" + reason + "), but spring-tx is not on the class path",
                        "Add spring-boot-starter-jdbc (it brings spring-tx and a transaction manager for the "
                                + "DataSource), or mark the method @NotHandler");
            }
            return null;
        };
    }
}
