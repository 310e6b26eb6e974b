package dev.critter.transaction;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.util.StringUtils;

/**
 * The start-up decision with spring-tx present. {@code @Transactional} is read by Spring's own
 * {@link AnnotationTransactionAttributeSource}, so the method wins over the class, meta-annotations
 * and {@code jakarta.transaction.Transactional} work, and qualifiers and timeouts may use
 * placeholders, exactly as for a Spring proxy. The transaction manager is found as Spring's
 * transaction interceptor finds it: the qualifier's, else the single (or {@code @Primary}) one.
 */
final class SpringHandlerTransactions implements HandlerTransactions {

    private final AutowireCapableBeanFactory beanFactory;
    private final boolean jdbcPresent;
    private final AnnotationTransactionAttributeSource annotations = new AnnotationTransactionAttributeSource();

    SpringHandlerTransactions(AutowireCapableBeanFactory beanFactory, boolean jdbcPresent) {
        this.beanFactory = beanFactory;
        this.jdbcPresent = jdbcPresent;
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            annotations.setEmbeddedValueResolver(new EmbeddedValueResolver(configurable));
        }
    }

    @Override
    public @Nullable HandlerTransaction decide(Class<?> handlerClass, Method method) {
        TransactionAttribute annotated = annotations.getTransactionAttribute(method, handlerClass);
        String parameter = TransactionalParameters.reason(method);
        if (annotated == null && parameter == null) {
            return null;
        }
        String handler = HandlerNames.of(handlerClass, method);
        String reason = annotated != null ? annotationReason(method) : parameter;
        // A copy, named after the handler: propagation, isolation, timeout (placeholders already
        // resolved), read-only and labels. Rollback rules are not copied: ChainRunner rolls back
        // whatever the handler throws, since a failed attempt is retried or dead-lettered.
        DefaultTransactionAttribute attribute = annotated != null ? new DefaultTransactionAttribute(annotated)
                : new DefaultTransactionAttribute();
        if (annotated != null) {
            attribute.setLabels(annotated.getLabels());
        }
        // The transaction's name, as TransactionSynchronizationManager.getCurrentTransactionName() and
        // the transaction manager's DEBUG lines show it.
        attribute.setName(handler);
        Named manager = transactionManager(handler, reason, annotated != null ? annotated.getQualifier() : null);
        if (manager.bean() instanceof AbstractPlatformTransactionManager abstractManager
                && abstractManager.getTransactionSynchronization() == AbstractPlatformTransactionManager.SYNCHRONIZATION_NEVER) {
            throw new CritterConfigurationException(handler + " must run in a transaction (" + reason
                    + "), but transaction manager '" + manager.name() + "' has transaction synchronization switched "
                    + "off (SYNCHRONIZATION_NEVER), and Critter holds the handler's messages until the commit through it",
                    "Leave the transaction manager's transactionSynchronization at its default (SYNCHRONIZATION_ALWAYS)");
        }
        Supplier<Connection> connection = TransactionalParameters.takesConnection(method)
                ? connection(handler, manager) : null;
        String description = describe(attribute) + " on '" + manager.name() + "' ("
                + manager.bean().getClass().getSimpleName() + "), because " + reason;
        return new SpringHandlerTransaction(manager.bean(), attribute, description, connection,
                annotated != null ? annotated.getPropagationBehavior() : null);
    }

    @Override
    public void checkInstance(Method method, HandlerTransaction transaction, Object target) {
        if (transaction instanceof SpringHandlerTransaction spring
                && spring.annotatedPropagation() != null
                && spring.annotatedPropagation() == TransactionDefinition.PROPAGATION_REQUIRES_NEW
                && AopUtils.isAopProxy(target)) {
            throw new CritterConfigurationException(HandlerNames.of(AopUtils.getTargetClass(target), method)
                    + " is @Transactional(propagation = REQUIRES_NEW) and its instance is a Spring proxy: the proxy's "
                    + "transaction interceptor would begin a second transaction inside the one Critter runs the handler "
                    + "in, and commit the handler's work apart from its cascades",
                    "Remove propagation = REQUIRES_NEW: on a queue worker Critter begins a new transaction for every "
                            + "attempt anyway; or move the method to a handler class that is not a proxied bean");
        }
    }

    private static String annotationReason(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, Transactional.class)
                ? "the method is @Transactional" : "the class is @Transactional";
    }

    /** Like {@code DefaultTransactionDefinition.toString()}, without the rollback rules Critter does not use. */
    private static String describe(TransactionDefinition definition) {
        StringBuilder text = new StringBuilder(propagationName(definition.getPropagationBehavior()))
                .append(',').append(isolationName(definition.getIsolationLevel()));
        if (definition.getTimeout() != TransactionDefinition.TIMEOUT_DEFAULT) {
            text.append(",timeout_").append(definition.getTimeout());
        }
        if (definition.isReadOnly()) {
            text.append(",readOnly");
        }
        return text.toString();
    }

    private static String propagationName(int propagation) {
        return switch (propagation) {
            case TransactionDefinition.PROPAGATION_REQUIRED -> "PROPAGATION_REQUIRED";
            case TransactionDefinition.PROPAGATION_SUPPORTS -> "PROPAGATION_SUPPORTS";
            case TransactionDefinition.PROPAGATION_MANDATORY -> "PROPAGATION_MANDATORY";
            case TransactionDefinition.PROPAGATION_REQUIRES_NEW -> "PROPAGATION_REQUIRES_NEW";
            case TransactionDefinition.PROPAGATION_NOT_SUPPORTED -> "PROPAGATION_NOT_SUPPORTED";
            case TransactionDefinition.PROPAGATION_NEVER -> "PROPAGATION_NEVER";
            case TransactionDefinition.PROPAGATION_NESTED -> "PROPAGATION_NESTED";
            default -> "PROPAGATION_" + propagation;
        };
    }

    private static String isolationName(int isolation) {
        return switch (isolation) {
            case TransactionDefinition.ISOLATION_DEFAULT -> "ISOLATION_DEFAULT";
            case TransactionDefinition.ISOLATION_READ_UNCOMMITTED -> "ISOLATION_READ_UNCOMMITTED";
            case TransactionDefinition.ISOLATION_READ_COMMITTED -> "ISOLATION_READ_COMMITTED";
            case TransactionDefinition.ISOLATION_REPEATABLE_READ -> "ISOLATION_REPEATABLE_READ";
            case TransactionDefinition.ISOLATION_SERIALIZABLE -> "ISOLATION_SERIALIZABLE";
            default -> "ISOLATION_" + isolation;
        };
    }

    private record Named(String name, PlatformTransactionManager bean) {
    }

    private Named transactionManager(String handler, String reason, @Nullable String qualifier) {
        List<String> names = beanFactory instanceof ListableBeanFactory listable
                ? List.of(listable.getBeanNamesForType(PlatformTransactionManager.class, true, false)) : List.of();
        if (StringUtils.hasText(qualifier)) {
            try {
                return new Named(qualifier,
                        BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, PlatformTransactionManager.class, qualifier));
            } catch (NoSuchBeanDefinitionException ex) {
                throw new CritterConfigurationException(handler + " must run in a transaction on transaction manager '"
                        + qualifier + "' (" + reason + "), but no PlatformTransactionManager bean is named or qualified '"
                        + qualifier + "' (the application has " + names + ")",
                        "Name one of " + names + " in @Transactional(\"...\"), or declare a transaction manager '"
                                + qualifier + "'");
            }
        }
        if (names.isEmpty()) {
            throw new CritterConfigurationException(handler + " must run in a transaction (" + reason
                    + "), but the application has no PlatformTransactionManager",
                    "Add spring-boot-starter-jdbc (it configures a transaction manager for the DataSource) or "
                            + "spring-boot-starter-data-jpa, or declare a PlatformTransactionManager bean; or mark the "
                            + "method @NotHandler");
        }
        PlatformTransactionManager unique = beanFactory.getBeanProvider(PlatformTransactionManager.class).getIfUnique();
        if (unique == null) {
            throw new CritterConfigurationException(handler + " must run in a transaction (" + reason
                    + "), but the application has " + names.size() + " PlatformTransactionManager beans " + names
                    + " and none is @Primary",
                    "Mark one @Primary, or name the handler's: @Transactional(\"" + names.get(0)
                            + "\") on the method or class");
        }
        String name = names.size() == 1 ? names.get(0) : names.stream()
                .filter(candidate -> beanFactory.getBean(candidate) == unique).findFirst().orElse("primary");
        return new Named(name, unique);
    }

    /**
     * The data source whose transactional connection a {@code Connection} parameter gets: the
     * transaction manager's own (JDBC, or JPA's exposed connection), else the application's single one.
     */
    private Supplier<Connection> connection(String handler, Named manager) {
        if (!jdbcPresent) {
            throw new CritterConfigurationException(handler + " takes a Connection, which Critter gets through "
                    + "spring-jdbc's DataSourceUtils, and spring-jdbc is not on the class path",
                    "Add spring-boot-starter-jdbc, or take a DataSource instead");
        }
        DataSource dataSource = dataSourceOf(manager.bean());
        if (dataSource == null) {
            dataSource = beanFactory.getBeanProvider(DataSource.class).getIfUnique();
        }
        if (dataSource == null) {
            throw new CritterConfigurationException(handler + " takes a Connection, but transaction manager '"
                    + manager.name() + "' (" + manager.bean().getClass().getSimpleName() + ") has no DataSource and "
                    + "the application has no single DataSource to take it from",
                    "Take a JdbcTemplate or DataSource parameter (with @Qualifier) instead of the Connection");
        }
        return TransactionConnections.of(dataSource);
    }

    /** {@code DataSourceTransactionManager}'s resource, or a {@code dataSource} property (JPA and Hibernate managers). */
    private static @Nullable DataSource dataSourceOf(PlatformTransactionManager manager) {
        if (manager instanceof ResourceTransactionManager resources
                && resources.getResourceFactory() instanceof DataSource dataSource) {
            return dataSource;
        }
        BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(manager);
        if (properties.isReadableProperty("dataSource")
                && properties.getPropertyValue("dataSource") instanceof DataSource dataSource) {
            return dataSource;
        }
        return null;
    }
}
