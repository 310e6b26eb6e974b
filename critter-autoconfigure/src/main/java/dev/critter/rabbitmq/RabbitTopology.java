package dev.critter.rabbitmq;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.critter.CritterConfigurationException;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Declares what the transport needs on the broker (SPEC §12): durable exchanges, durable queues
 * whose rejected messages go to the direct exchange {@value #DEAD_LETTER_EXCHANGE} with the
 * queue's name as routing key, and each queue's dead-letter queue {@code q.dlq} bound there.
 * Each declaration runs on a channel of its own, since a refused one closes its channel.
 */
final class RabbitTopology {

    /** The direct exchange every provisioned queue dead-letters to, routing key = the queue's name. */
    static final String DEAD_LETTER_EXCHANGE = "critter.dead-letter";

    static final String DLQ_SUFFIX = ".dlq";

    private static final int REPLY_QUEUE_EXPIRES_MILLIS = 60_000;

    private final ConnectionFactory connections;

    RabbitTopology(ConnectionFactory connections) {
        this.connections = connections;
    }

    static String deadLetterQueueOf(String queue) {
        return queue + DLQ_SUFFIX;
    }

    /** Declares the dead-letter exchange, the queue, its dead-letter queue and the binding between them. */
    void declareQueue(String queue) {
        declare("exchange " + DEAD_LETTER_EXCHANGE, channel -> channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, "direct", true));
        String dlq = deadLetterQueueOf(queue);
        declare("queue " + dlq, channel -> channel.queueDeclare(dlq, true, false, false, null));
        declare("binding " + DEAD_LETTER_EXCHANGE + " -> " + dlq,
                channel -> channel.queueBind(dlq, DEAD_LETTER_EXCHANGE, queue));
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
        arguments.put("x-dead-letter-routing-key", queue);
        declare("queue " + queue, channel -> channel.queueDeclare(queue, true, false, false, arguments));
    }

    /** Declares a durable topic exchange (a routing key then selects queues by pattern; an exact key works as direct). */
    void declareExchange(String exchange) {
        declare("exchange " + exchange, channel -> channel.exchangeDeclare(exchange, "topic", true));
    }

    /**
     * Declares a node's reply queue: not durable (replies wait for a caller in memory anyway), and
     * deleted by the broker once no consumer used it for a minute, so a node that died leaves nothing behind.
     */
    void declareReplyQueue(String queue) {
        declare("queue " + queue, channel -> channel.queueDeclare(queue, false, false, false,
                Map.of("x-expires", REPLY_QUEUE_EXPIRES_MILLIS)));
    }

    /** Declares a durable fanout exchange (conventional routing: one per message type, routing keys ignored). */
    void declareFanoutExchange(String exchange) {
        declare("exchange " + exchange, channel -> channel.exchangeDeclare(exchange, "fanout", true));
    }

    /** Binds a queue to an exchange with a routing key. */
    void bind(String queue, String exchange, String routingKey) {
        declare("binding " + exchange + " -> " + queue, channel -> channel.queueBind(queue, exchange, routingKey));
    }

    private void declare(String what, Declaration declaration) {
        Channel channel = null;
        try {
            Connection connection = connections.createConnection();
            channel = connection.createChannel(false);
            declaration.run(channel);
        } catch (IOException | RuntimeException ex) {
            throw refused(what, ex);
        } finally {
            // A refused declaration already closed the channel: closing it again would only wait.
            if (channel != null && channel.isOpen()) {
                try {
                    channel.close();
                } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
                    // Nothing to keep: the declaration's outcome is already decided.
                }
            }
        }
    }

    private static RuntimeException refused(String what, Exception ex) {
        String reason = brokerReason(ex);
        if (reason.contains("PRECONDITION_FAILED")) {
            // The broker's text names the argument: "inequivalent arg 'x-dead-letter-exchange' for queue ...".
            return new CritterConfigurationException("RabbitMQ refused to declare " + what
                    + " as Critter needs it: " + reason,
                    "It exists with other arguments: delete it (rabbitmqctl delete_queue / delete_exchange) so Critter "
                            + "declares it, declare it yourself and set critter.rabbitmq.auto-provision=false, "
                            + "or use another name");
        }
        return new CritterConfigurationException("RabbitMQ could not declare " + what + ": " + reason,
                "Check that the broker at spring.rabbitmq.* is up and the user may configure it");
    }

    private static String brokerReason(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && signal.getReason() != null) {
                return signal.getReason().toString();
            }
        }
        return String.valueOf(ex.getMessage());
    }

    @FunctionalInterface
    private interface Declaration {
        void run(Channel channel) throws IOException;
    }
}
