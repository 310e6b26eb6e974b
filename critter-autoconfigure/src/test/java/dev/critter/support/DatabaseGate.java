package dev.critter.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A gate handlers wait at, across processes, without polling: the test holds a PostgreSQL
 * advisory lock on a connection of its own; a handler that must wait asks for the same lock shared,
 * in its transaction, and PostgreSQL wakes it when the test lets go (or the test's process dies).
 */
public final class DatabaseGate implements AutoCloseable {

    private final Connection connection;
    private final long key;
    private boolean released;

    private DatabaseGate(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /**
     * Holds the gate until {@link #close()}.
     * @param dataSource the test database
     * @param key the gate's advisory-lock key
     * @return the held gate
     */
    public static DatabaseGate hold(DataSource dataSource, long key) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + key + ")");
            }
            return new DatabaseGate(connection, key);
        } catch (SQLException ex) {
            throw new IllegalStateException("could not hold gate " + key, ex);
        }
    }

    /**
     * Waits, in the caller's transaction, while the gate is held and {@code condition} is true.
     * @param jdbc the handler's JdbcTemplate (in its transaction: the shared lock goes with it)
     * @param key the gate's advisory-lock key
     * @param condition SQL that decides whether to wait at all (evaluated once)
     */
    public static void passWhen(JdbcTemplate jdbc, long key, String condition) {
        jdbc.execute("SELECT pg_advisory_xact_lock_shared(" + key + ") WHERE " + condition);
    }

    /** Lets every waiting handler through; closing again does nothing. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + key + ")");
        } catch (SQLException ex) {
            throw new IllegalStateException("could not open gate " + key, ex);
        }
    }
}
