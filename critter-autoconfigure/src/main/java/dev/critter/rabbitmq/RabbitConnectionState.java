package dev.critter.rabbitmq;

import com.rabbitmq.client.ShutdownSignalException;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Follows the connection factory's connection as it opens, closes, drops and fails to open, so
 * health can say whether the broker is reachable without opening a connection itself (which
 * could wait for the connection timeout while the broker is away).
 */
final class RabbitConnectionState implements ConnectionListener {

    private volatile boolean open;
    private volatile @Nullable String lastFailure;

    @Override
    public void onCreate(Connection connection) {
        open = true;
        lastFailure = null;
    }

    @Override
    public void onClose(Connection connection) {
        open = false;
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
        open = false;
        lastFailure = String.valueOf(signal.getMessage());
    }

    @Override
    public void onFailed(Exception failure) {
        open = false;
        lastFailure = String.valueOf(failure.getMessage());
    }

    boolean open() {
        return open;
    }

    @Nullable String lastFailure() {
        return lastFailure;
    }
}
