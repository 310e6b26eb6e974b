package dev.critter.transaction;

import java.sql.Connection;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;

/** What a {@code Connection} parameter gets; its own class, so spring-jdbc is loaded only when a handler takes one. */
final class TransactionConnections {

    private TransactionConnections() {
    }

    /**
     * @param dataSource the transaction's data source
     * @return per call, the connection bound to the running transaction (the one its statements use)
     */
    static Supplier<Connection> of(DataSource dataSource) {
        return () -> DataSourceUtils.getConnection(dataSource);
    }
}
