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
    private final Connection connection;

    /** Connects to the broker, or fails saying how to start one. */
    public TestRabbit() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3_000);
        } catch (IOException ex) {
            throw new AssertionError("No RabbitMQ broker answers at " + host + ":" + port + " (spring.rabbitmq.host/port). "
                    + "Start one: `.ci/ensure-rabbitmq` (Debian: apt-get install -y rabbitmq-server; rabbitmq-server -detached; "
                    + "rabbitmqctl await_startup), or `docker run -d -p 5672:5672 rabbitmq:3`, or point -Dspring.rabbitmq.host/port "
                    + "at a broker. The Rabbit tests never skip.", ex);
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        try {
            this.connection = factory.newConnection("critter-tests");
        } catch (IOException | TimeoutException ex) {
            throw new AssertionError("RabbitMQ at " + host + ":" + port + " refused the connection as " + username + ": " + ex, ex);
        }
    }

    /** Returns Spring Boot properties pointing at this broker. */
    public String[] properties() {
        return new String[] {"spring.rabbitmq.host=" + host, "spring.rabbitmq.port=" + port,
                "spring.rabbitmq.username=" + username, "spring.rabbitmq.password=" + password};
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
            return connection.createChannel();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Returns how many messages wait in a queue (ready, not delivered). */
    public long ready(String queue) {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
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
