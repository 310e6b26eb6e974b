package dev.critter.transaction;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.Arrays;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;

import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up decision: which handler methods run in a transaction, on which transaction manager, and when start-up fails. */
class HandlerTransactionsTests {

    public record Ping(String id) { }

    public static class PlainHandler {
        public void handle(Ping ping) { }
    }

    public static class JdbcHandlers {
        public void handle(Ping ping, JdbcTemplate jdbc) { }
        public void consume(Ping ping, NamedParameterJdbcTemplate jdbc) { }
        public void handleAsync(Ping ping, JdbcClient jdbc) { }
        public void consumeAsync(Ping ping, SimpleDriverDataSource dataSource) { }
    }

    public static class ConnectionHandler {
        public void handle(Ping ping, Connection connection) { }
    }

    /** A message that happens to be a DataSource is a message, not a reason for a transaction. */
    public static class DataSourceMessageHandler {
        public void handle(SimpleDriverDataSource message) { }
    }

    public static class AnnotatedMethodHandler {
        @Transactional(propagation = Propagation.REQUIRES_NEW, isolation = Isolation.SERIALIZABLE, timeout = 7,
                readOnly = true)
        public void handle(Ping ping) { }
    }

    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public static class AnnotatedClassHandler {
        public void handle(Ping ping) { }

        @Transactional(readOnly = true)
        public void consume(Ping ping) { }
    }

    public static class QualifiedHandler {
        @Transactional("reporting")
        public void handle(Ping ping) { }

        @Transactional(transactionManager = "missing")
        public void consume(Ping ping) { }
    }

    public static class PlaceholderHandler {
        @Transactional(timeoutString = "${handler.timeout}")
        public void handle(Ping ping) { }
    }

    @Test
    void aHandlerWithoutJdbcParametersOrAnnotationRunsWithoutATransaction() {
        HandlerTransactions transactions = transactions(factoryWith("transactionManager", manager()));

        assertThat(transactions.decide(PlainHandler.class, method(PlainHandler.class, "handle"))).isNull();
        assertThat(transactions.decide(DataSourceMessageHandler.class, method(DataSourceMessageHandler.class, "handle")))
                .isNull();
    }

    @Test
    void eachJdbcParameterTypeMakesTheHandlerTransactionalWithTheDefaultAttributes() {
        HandlerTransactions transactions = transactions(factoryWith("transactionManager", manager()));

        assertThat(describe(transactions, JdbcHandlers.class, "handle")).isEqualTo(
                "PROPAGATION_REQUIRED,ISOLATION_DEFAULT on 'transactionManager' (DataSourceTransactionManager), "
                        + "because parameter 2 is a JdbcTemplate");
        assertThat(describe(transactions, JdbcHandlers.class, "consume"))
                .endsWith("because parameter 2 is a NamedParameterJdbcTemplate");
        assertThat(describe(transactions, JdbcHandlers.class, "handleAsync")).endsWith("because parameter 2 is a JdbcClient");
        assertThat(describe(transactions, JdbcHandlers.class, "consumeAsync"))
                .as("a DataSource implementation counts as a DataSource").endsWith("because parameter 2 is a DataSource");
        assertThat(describe(transactions, ConnectionHandler.class, "handle")).endsWith("because parameter 2 is a Connection");
    }

    @Test
    void transactionalOnTheMethodGivesItsAttributes() {
        HandlerTransactions transactions = transactions(factoryWith("transactionManager", manager()));

        assertThat(describe(transactions, AnnotatedMethodHandler.class, "handle")).isEqualTo(
                "PROPAGATION_REQUIRES_NEW,ISOLATION_SERIALIZABLE,timeout_7,readOnly on 'transactionManager' "
                        + "(DataSourceTransactionManager), because the method is @Transactional");
    }

    @Test
    void transactionalOnTheClassAppliesToEveryHandlerMethodAndTheMethodsOwnWins() {
        HandlerTransactions transactions = transactions(factoryWith("transactionManager", manager()));

        assertThat(describe(transactions, AnnotatedClassHandler.class, "handle"))
                .startsWith("PROPAGATION_REQUIRED,ISOLATION_REPEATABLE_READ on 'transactionManager'")
                .endsWith("because the class is @Transactional");
        assertThat(describe(transactions, AnnotatedClassHandler.class, "consume"))
                .startsWith("PROPAGATION_REQUIRED,ISOLATION_DEFAULT,readOnly on")
                .endsWith("because the method is @Transactional");
    }

    @Test
    void aQualifierPicksTheNamedTransactionManager() {
        DefaultListableBeanFactory factory = factoryWith("transactionManager", manager());
        factory.registerSingleton("reporting", manager());
        HandlerTransactions transactions = transactions(factory);

        assertThat(describe(transactions, QualifiedHandler.class, "handle")).contains(" on 'reporting' (");
        assertThatThrownBy(() -> transactions.decide(QualifiedHandler.class, method(QualifiedHandler.class, "consume")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessage("QualifiedHandler.consume(Ping) must run in a transaction on transaction manager 'missing' "
                        + "(the method is @Transactional), but no PlatformTransactionManager bean is named or qualified "
                        + "'missing' (the application has [transactionManager, reporting])")
                .extracting(ex -> ((CritterConfigurationException) ex).fix()).asString()
                .startsWith("Name one of [transactionManager, reporting] in @Transactional(\"...\")");
    }

    @Test
    void thePrimaryTransactionManagerServesHandlersWithoutQualifier() {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        factory.registerSingleton("jdbcManager", manager());
        RootBeanDefinition primary = new RootBeanDefinition(DataSourceTransactionManager.class,
                HandlerTransactionsTests::manager);
        primary.setPrimary(true);
        factory.registerBeanDefinition("primaryManager", primary);

        assertThat(describe(transactions(factory), JdbcHandlers.class, "handle")).contains(" on 'primaryManager' (");
    }

    @Test
    void severalTransactionManagersWithoutPrimaryFailStartUpNamingThem() {
        DefaultListableBeanFactory factory = factoryWith("first", manager());
        factory.registerSingleton("second", manager());

        assertThatThrownBy(() -> transactions(factory).decide(JdbcHandlers.class, method(JdbcHandlers.class, "handle")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessage("JdbcHandlers.handle(Ping, JdbcTemplate) must run in a transaction (parameter 2 is a "
                        + "JdbcTemplate), but the application has 2 PlatformTransactionManager beans [first, second] "
                        + "and none is @Primary")
                .extracting(ex -> ((CritterConfigurationException) ex).fix()).asString()
                .isEqualTo("Mark one @Primary, or name the handler's: @Transactional(\"first\") on the method or class");
    }

    @Test
    void noTransactionManagerFailsStartUpSayingWhatToAdd() {
        HandlerTransactions transactions = transactions(new DefaultListableBeanFactory());

        assertThatThrownBy(() -> transactions.decide(JdbcHandlers.class, method(JdbcHandlers.class, "consumeAsync")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessage("JdbcHandlers.consumeAsync(Ping, SimpleDriverDataSource) must run in a transaction "
                        + "(parameter 2 is a DataSource), but the application has no PlatformTransactionManager")
                .extracting(ex -> ((CritterConfigurationException) ex).fix()).asString()
                .startsWith("Add spring-boot-starter-jdbc");
        assertThat(transactions.decide(PlainHandler.class, method(PlainHandler.class, "handle")))
                .as("no transaction manager is needed while no handler needs one").isNull();
    }

    @Test
    void withoutSpringTxAHandlerThatNeedsATransactionFailsStartUp() {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        factory.setBeanClassLoader(new FilteredClassLoader("org.springframework.transaction"));
        HandlerTransactions transactions = HandlerTransactions.forClassPath(factory);

        assertThat(transactions).isNotInstanceOf(SpringHandlerTransactions.class);
        assertThat(transactions.decide(PlainHandler.class, method(PlainHandler.class, "handle"))).isNull();
        assertThatThrownBy(() -> transactions.decide(ConnectionHandler.class, method(ConnectionHandler.class, "handle")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessage("ConnectionHandler.handle(Ping, Connection) must run in a transaction (parameter 2 is a "
                        + "Connection), but spring-tx is not on the class path");
    }

    @Test
    void timeoutPlaceholdersAreResolvedAsForASpringProxy() {
        DefaultListableBeanFactory factory = factoryWith("transactionManager", manager());
        factory.addEmbeddedValueResolver(text -> text.replace("${handler.timeout}", "12"));

        assertThat(describe(transactions(factory), PlaceholderHandler.class, "handle"))
                .startsWith("PROPAGATION_REQUIRED,ISOLATION_DEFAULT,timeout_12 on");
    }

    @Test
    void aConnectionParameterNeedsADataSourceForTheTransaction() {
        DefaultListableBeanFactory withoutDataSource = factoryWith("transactionManager", new Resourceless());
        assertThatThrownBy(() -> transactions(withoutDataSource)
                .decide(ConnectionHandler.class, method(ConnectionHandler.class, "handle")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessage("ConnectionHandler.handle(Ping, Connection) takes a Connection, but transaction manager "
                        + "'transactionManager' (Resourceless) has no DataSource and the application has no single "
                        + "DataSource to take it from");

        DefaultListableBeanFactory withDataSource = factoryWith("transactionManager", new Resourceless());
        withDataSource.registerSingleton("dataSource", new SimpleDriverDataSource());
        HandlerTransaction transaction = transactions(withDataSource)
                .decide(ConnectionHandler.class, method(ConnectionHandler.class, "handle"));
        assertThat(transaction).isNotNull();
        assertThat(transaction.connection()).isNotNull();
    }

    @Test
    void aTransactionManagerWithoutSynchronizationFailsStartUp() {
        DataSourceTransactionManager manager = manager();
        manager.setTransactionSynchronization(AbstractPlatformTransactionManager.SYNCHRONIZATION_NEVER);

        assertThatThrownBy(() -> transactions(factoryWith("transactionManager", manager))
                .decide(JdbcHandlers.class, method(JdbcHandlers.class, "handle")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessageContaining("has transaction synchronization switched off (SYNCHRONIZATION_NEVER)");
    }

    @Test
    void aProxiedHandlerWhoseAnnotationAsksForANewTransactionFailsStartUp() {
        HandlerTransactions transactions = transactions(factoryWith("transactionManager", manager()));
        Method method = method(AnnotatedMethodHandler.class, "handle");
        HandlerTransaction transaction = transactions.decide(AnnotatedMethodHandler.class, method);
        assertThat(transaction).isNotNull();

        transactions.checkInstance(method, transaction, new AnnotatedMethodHandler());
        Object proxy = new ProxyFactory(new AnnotatedMethodHandler()).getProxy();
        assertThatThrownBy(() -> transactions.checkInstance(method, transaction, proxy))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessageStartingWith("AnnotatedMethodHandler.handle(Ping) is @Transactional(propagation = "
                        + "REQUIRES_NEW) and its instance is a Spring proxy");

        Method required = method(AnnotatedClassHandler.class, "handle");
        HandlerTransaction joins = transactions.decide(AnnotatedClassHandler.class, required);
        transactions.checkInstance(required, joins, new ProxyFactory(new AnnotatedClassHandler()).getProxy());
    }

    @Test
    void theParameterRulesNameTheSpecTypesAndTheirSpringSiblings() {
        assertThat(TransactionalParameters.TYPES).contains(JdbcTemplate.class.getName(),
                NamedParameterJdbcTemplate.class.getName(), DataSource.class.getName(), Connection.class.getName(),
                JdbcClient.class.getName());
        assertThat(TransactionalParameters.takesConnection(method(ConnectionHandler.class, "handle"))).isTrue();
        assertThat(TransactionalParameters.takesConnection(method(JdbcHandlers.class, "handle"))).isFalse();
    }

    private static String describe(HandlerTransactions transactions, Class<?> type, String name) {
        HandlerTransaction transaction = transactions.decide(type, method(type, name));
        assertThat(transaction).as(type.getSimpleName() + "." + name).isNotNull();
        return transaction.describe();
    }

    private static HandlerTransactions transactions(DefaultListableBeanFactory factory) {
        HandlerTransactions transactions = HandlerTransactions.forClassPath(factory);
        assertThat(transactions).isInstanceOf(SpringHandlerTransactions.class);
        return transactions;
    }

    private static DefaultListableBeanFactory factoryWith(String name, Object manager) {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        factory.registerSingleton(name, manager);
        return factory;
    }

    /** Never connects: the decision only looks at it. */
    private static DataSourceTransactionManager manager() {
        return new DataSourceTransactionManager(new SimpleDriverDataSource());
    }

    private static Method method(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    /** A transaction manager with no DataSource (as JTA's, say). */
    static final class Resourceless extends AbstractPlatformTransactionManager {
        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }
    }
}
