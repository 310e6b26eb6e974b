package dev.critter.durability.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The heartbeat's own database connection, opened from a data source outside the application's
 * pool and kept open between beats: handlers, publishers and background agents holding every
 * pooled connection then cannot silence a live node (its rows would be taken over and handled
 * twice). A broken connection is closed and opened again at the next beat. Used by one thread.
 */
final class HeartbeatConnection implements AutoCloseable {

    private final DataSource source;
    private final int timeoutSeconds;
    private @Nullable Connection connection;

    /**
     * @param source opens connections to the application's database, unpooled
     * @param timeout the longest one statement may take (the lease: later is too late anyway)
     */
    HeartbeatConnection(DataSource source, Duration timeout) {
        this.source = source;
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }

    /**
     * Runs one statement in auto-commit.
     * @param sql the statement
     * @param parameters its parameters, in order
     * @return how many rows it changed
     * @throws DataAccessResourceFailureException when the connection could not be opened or the statement failed
     */
    int update(String sql, @Nullable Object... parameters) {
        try {
            Connection open = connection();
            try (PreparedStatement statement = open.prepareStatement(sql)) {
                statement.setQueryTimeout(timeoutSeconds);
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                return statement.executeUpdate();
            }
        } catch (SQLException ex) {
            close(); // opened again at the next beat
            throw new DataAccessResourceFailureException("heartbeat connection: " + ex.getMessage(), ex);
        }
    }

    private Connection connection() throws SQLException {
        Connection current = connection;
        if (current == null || current.isClosed()) {
            current = source.getConnection();
            current.setAutoCommit(true);
            connection = current;
        }
        return current;
    }

    @Override
    public void close() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException ex) {
                // broken already: nothing to give back
            }
        }
    }
}
