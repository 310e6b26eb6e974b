package dev.critter.autoconfigure.durability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.handler.HandlerChain;
import dev.critter.local.DurableLocalQueue;
import dev.critter.local.LocalQueue;
import dev.critter.local.LocalQueueSettings;
import dev.critter.local.LocalTransport;
import dev.critter.runtime.CritterRuntime;
import dev.critter.transport.Endpoint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Checks at start-up that the application's connection pool can serve what Critter's own work may
 * hold at once: {@code critter.durability.background-connections} plus, for every local queue
 * with a handler that runs in a transaction (or takes the DataSource), the queue's parallelism.
 * A smaller pool is exhausted by Critter alone under load: handlers wait for connections that
 * other handlers hold, publishers time out, and background work (relay, poller, batched writes)
 * stalls. That is logged as a WARN naming the numbers, the keys and the fix, not a failure: the
 * default parallelism is the processor count, so an application that starts on a laptop must not
 * fail on a larger server (the heartbeat has a connection of its own, so a busy pool costs speed,
 * never a node's liveness). A pool no larger than the background connections fails start-up:
 * background work alone could then hold every connection. The pool's size is read through Boot's
 * {@link DataSourcePoolMetadataProvider}s (Hikari, Tomcat, DBCP2, Oracle UCP); a pool they do not
 * know is not checked. Runs once the handlers and queues are built and before anything starts (a
 * lifecycle phase before {@link JdbcNodes}).
 */
final class ConnectionPoolCheck implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ConnectionPoolCheck.class);

    private final DataSource dataSource;
    private final DurabilitySettings settings;
    private final List<DataSourcePoolMetadataProvider> pools;
    private final ObjectProvider<CritterRuntime> runtime;
    private final ObjectProvider<LocalTransport> local;
    private volatile boolean running;

    ConnectionPoolCheck(DataSource dataSource, DurabilitySettings settings, List<DataSourcePoolMetadataProvider> pools,
                        ObjectProvider<CritterRuntime> runtime, ObjectProvider<LocalTransport> local) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.pools = pools;
        this.runtime = runtime;
        this.local = local;
    }

    @Override
    public void start() {
        running = true;
        if (pools.isEmpty()) {
            return;
        }
        DataSourcePoolMetadata pool = new CompositeDataSourcePoolMetadataProvider(pools).getDataSourcePoolMetadata(dataSource);
        Integer max = pool == null ? null : pool.getMax();
        if (max == null || max <= 0) {
            return; // a pool Boot cannot read, or unbounded
        }
        Map<String, Integer> queues = transactionalQueues();
        int handlers = queues.values().stream().mapToInt(Integer::intValue).sum();
        int needed = settings.backgroundConnections() + handlers;
        String poolKey = poolSizeKey(pool);
        String fix = "Set " + poolKey + " to at least " + needed + " plus the connections the application's own "
                + "threads (web requests, @Transactional code) hold at once; or lower the parallelism "
                + "(critter.local.queues.<queue>.parallelism) or critter.durability.background-connections";
        if (max <= settings.backgroundConnections()) {
            throw new CritterConfigurationException("the DataSource's connection pool (" + poolKey + "=" + max
                    + ") is no larger than critter.durability.background-connections ("
                    + settings.backgroundConnections() + "): Critter's background work alone could hold every "
                    + "connection, and no handler or publisher would get one", fix);
        }
        if (max < needed) {
            logger.warn("Critter: the DataSource's connection pool (" + poolKey + "=" + max
                    + ") is smaller than what Critter alone may hold at once: " + needed + " = "
                    + "critter.durability.background-connections (" + settings.backgroundConnections() + ")"
                    + describe(queues) + ". Under load, handlers will wait for connections other handlers hold, "
                    + "and publishers and Critter's background work (outbox relay, scheduled messages, batched "
                    + "writes) will slow down with them. " + fix);
            return;
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Critter: connection pool " + poolKey + "=" + max + " serves background work and "
                    + "transactional handlers (" + needed + ")" + describe(queues));
        }
    }

    /** Local queues with a transactional handler chain, by name, with their parallelism. */
    private Map<String, Integer> transactionalQueues() {
        Map<String, Integer> queues = new LinkedHashMap<>();
        CritterRuntime runtime = this.runtime.getIfUnique();
        LocalTransport local = this.local.getIfUnique();
        if (runtime == null || local == null) {
            return queues;
        }
        Map<Endpoint, LocalQueueSettings> localQueues = new LinkedHashMap<>();
        for (Endpoint endpoint : local.endpoints()) {
            if (endpoint instanceof DurableLocalQueue durable) {
                localQueues.put(endpoint, durable.settings());
            } else if (endpoint instanceof LocalQueue queue) {
                localQueues.put(endpoint, queue.settings());
            }
        }
        for (HandlerChain chain : runtime.handlerGraph().chains()) {
            if (chain.transaction() == null) {
                continue;
            }
            for (Endpoint endpoint : runtime.router().routesFor(chain.messageClass())) {
                LocalQueueSettings queue = localQueues.get(endpoint);
                if (queue != null) {
                    queues.put(queue.name(), queue.parallelism());
                }
            }
        }
        return queues;
    }

    private static String describe(Map<String, Integer> queues) {
        List<String> parts = new ArrayList<>();
        queues.forEach((name, parallelism) -> parts.add(" + critter.local.queues." + name + ".parallelism ("
                + parallelism + ")"));
        return String.join("", parts) + (queues.isEmpty() ? "" : " (queues whose handlers run in a transaction)");
    }

    /** The Spring Boot key that sizes this kind of pool. */
    private static String poolSizeKey(DataSourcePoolMetadata pool) {
        String kind = pool.getClass().getSimpleName();
        if (kind.startsWith("Hikari")) {
            return "spring.datasource.hikari.maximum-pool-size";
        }
        if (kind.startsWith("Tomcat")) {
            return "spring.datasource.tomcat.max-active";
        }
        if (kind.startsWith("CommonsDbcp2")) {
            return "spring.datasource.dbcp2.max-total";
        }
        if (kind.startsWith("OracleUcp")) {
            return "spring.datasource.oracleucp.max-pool-size";
        }
        return "the pool's maximum size";
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the node registers and before any queue starts. */
    @Override
    public int getPhase() {
        return JdbcNodes.PHASE - 1;
    }
}
