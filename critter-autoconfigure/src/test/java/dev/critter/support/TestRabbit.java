package dev.critter.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * The real RabbitMQ broker the Rabbit integration tests run against, at {@code spring.rabbitmq.*}
 * (system properties; default 127.0.0.1:5672, guest/guest). A test that finds no broker fails
 * saying how to start one; it never skips. Names get a random suffix and are deleted by
 * {@link #close()}, so reruns and parallel forks never see each other's messages.
 */
public final class TestRabbit implements AutoCloseable {

    private final String host = System.getProperty("spring.rabbitmq.host", "127.0.0.1");
    private final int port = Integer.getInteger("spring.rabbitmq.port", 5672);
    private final String username = System.getProperty("spring.rabbitmq.username", "guest");
    private final String password = System.getProperty("spring.rabbitmq.password", "guest");
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private final @Nullable String virtualHost;
    private final ConnectionFactory factory = new ConnectionFactory();
    private Connection connection;

    /** Connects to the broker's default virtual host, or fails saying how to start one. */
    public TestRabbit() {
        this(null);
    }

    /**
     * Returns a broker handle whose names live in a virtual host of their own, created now with
     * {@code rabbitmqctl} and deleted (with everything in it) by {@link #close()}: fault injection
     * ({@link #closeAllConnections()}) then touches only this test's connections.
     * @return the handle, connected to its virtual host
     */
    public static TestRabbit inOwnVirtualHost() {
        String vhost = "critter-test-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, System.getProperty("spring.rabbitmq.username", "guest"), ".*", ".*", ".*");
        try {
            return new TestRabbit(vhost);
        } catch (RuntimeException | Error ex) {
            rabbitmqctl("delete_vhost", vhost);
            throw ex;
        }
    }

    private TestRabbit(@Nullable String virtualHost) {
        this.virtualHost = virtualHost;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3_000);
        } catch (IOException ex) {
            throw new AssertionError("No RabbitMQ broker answers at " + host + ":" + port + " (spring.rabbitmq.host/port). "
                    + "Start one: `.ci/ensure-rabbitmq` (Debian: apt-get install -y rabbitmq-server; rabbitmq-server -detached; "
                    + "rabbitmqctl await_startup), or `docker run -d -p 5672:5672 rabbitmq:3`, or point -Dspring.rabbitmq.host/port "
                    + "at a broker. The Rabbit tests never skip.", ex);
        }
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        // connection() opens a new one when fault injection closed it; the client's own recovery would only add noise.
        factory.setAutomaticRecoveryEnabled(false);
        if (virtualHost != null) {
            factory.setVirtualHost(virtualHost);
        }
        this.connection = connect();
    }

    private Connection connect() {
        try {
            return factory.newConnection("critter-tests");
        } catch (IOException | TimeoutException ex) {
            throw new AssertionError("RabbitMQ at " + host + ":" + port + " refused the connection as " + username + ": " + ex, ex);
        }
    }

    /** The test's own connection, opened again when fault injection closed it. */
    private synchronized Connection connection() {
        if (!connection.isOpen()) {
            connection = connect();
        }
        return connection;
    }

    /**
     * Closes every client connection to this handle's virtual host from the broker's side
     * ({@code rabbitmqctl close_all_connections -p vhost}), as an operator or a failing network would.
     */
    public void closeAllConnections() {
        if (virtualHost == null) {
            throw new IllegalStateException("Only a handle made by inOwnVirtualHost() closes connections: others share the broker");
        }
        rabbitmqctl("close_all_connections", "-p", virtualHost, "critter recovery test");
    }

    /**
     * Stops the broker's application ({@code rabbitmqctl stop_app}): every client loses its
     * connection and none can connect until {@link #startBroker()}. It stops the broker for every
     * test running against it: keep the window short and start it again in a {@code finally}.
     */
    public void stopBroker() {
        rabbitmqctl("stop_app");
    }

    /** Starts the broker's application again ({@code rabbitmqctl start_app}, then {@code await_startup}). */
    public void startBroker() {
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup");
    }

    /** Runs {@code rabbitmqctl} (the Debian wrapper, or -Dcritter.test.rabbitmqctl), failing with its output. */
    private static void rabbitmqctl(String... arguments) {
        String command = System.getProperty("critter.test.rabbitmqctl", "/usr/sbin/rabbitmqctl");
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", line) + " failed: " + output
                        + "\nThe recovery tests inject faults with rabbitmqctl on the broker's machine "
                        + "(-Dcritter.test.rabbitmqctl=/path/to/rabbitmqctl).");
            }
        } catch (IOException ex) {
            throw new AssertionError("Cannot run " + command + " (" + ex.getMessage() + "): the recovery tests inject faults "
                    + "with rabbitmqctl on the broker's machine; set -Dcritter.test.rabbitmqctl=/path/to/rabbitmqctl", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + String.join(" ", line), ex);
        }
    }

    /** Returns Spring Boot properties pointing at this broker. */
    public String[] properties() {
        return new String[] {"spring.rabbitmq.host=" + host, "spring.rabbitmq.port=" + port,
                "spring.rabbitmq.username=" + username, "spring.rabbitmq.password=" + password,
                "spring.rabbitmq.virtual-host=" + (virtualHost != null ? virtualHost : "/")};
    }

    /** Returns a queue name unique to this test, deleted (with its dead-letter queue) on close. */
    public String queue(String base) {
        String name = "critter-test-" + base + "-" + suffix;
        queues.add(name);
        queues.add(name + ".dlq");
        return name;
    }

    /** Returns an exchange name unique to this test, deleted on close. */
    public String exchange(String base) {
        String name = "critter-test-" + base + "-" + suffix;
        exchanges.add(name);
        return name;
    }

    /** Opens a channel of the test's own connection; closed with it. */
    public Channel channel() {
        try {
            return connection().createChannel();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Returns how many messages wait in a queue (ready, not delivered). */
    public long ready(String queue) {
        try (Channel channel = connection().createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Returns how many consumers the broker counts on a queue. */
    public long consumers(String queue) {
        try (Channel channel = connection().createChannel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        } catch (IOException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        if (virtualHost != null) {
            try {
                connection().close();
            } catch (IOException | RuntimeException ex) {
                // The virtual host goes with everything in it.
            } finally {
                rabbitmqctl("delete_vhost", virtualHost);
            }
            return;
        }
        Connection connection = connection();
        try {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                }
            }
            for (String exchange : exchanges) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                }
            }
            connection.close();
        } catch (IOException | TimeoutException ex) {
            throw new IllegalStateException("Cleaning up RabbitMQ test names failed", ex);
        }
    }
}
