package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Derives, from the application's DataSource, an unpooled one to the same database with the same
 * URL and credentials (Boot's {@link DataSourceBuilder#derivedFrom}): the node heartbeat's own
 * connection comes from it, outside the pool that handlers and publishers can exhaust. Loaded only
 * with spring-boot-jdbc on the class path.
 */
final class HeartbeatDataSources {

    private static final Log logger = LogFactory.getLog(HeartbeatDataSources.class);

    private HeartbeatDataSources() {
    }

    /**
     * Derives the heartbeat's data source.
     * @param dataSource the application's DataSource
     * @return an unpooled data source, or null when Boot cannot read the pool's URL and credentials
     */
    static @Nullable DataSource derive(DataSource dataSource) {
        try {
            return DataSourceBuilder.derivedFrom(dataSource).type(SimpleDriverDataSource.class).build();
        } catch (RuntimeException ex) {
            logger.info("Critter: the node heartbeat shares the application's connection pool (Boot cannot derive "
                    + "an unpooled DataSource from " + dataSource.getClass().getName() + ": " + ex.getMessage()
                    + "); size the pool so it is never exhausted for longer than critter.durability.node-lease");
            return null;
        }
    }
}
