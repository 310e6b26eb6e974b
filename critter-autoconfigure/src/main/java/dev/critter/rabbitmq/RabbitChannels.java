package dev.critter.rabbitmq;

import com.rabbitmq.client.Channel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Long-lived channels for the publisher and the listeners, taken from Spring AMQP's connection
 * factory but used bare. The factory's cached channel proxy opens a new channel behind the scenes
 * when its channel died, which is right for short template calls and wrong here: an ack, or a
 * publish awaiting a confirm, must fail with the channel it belongs to (an ack's delivery tag
 * means nothing on another channel; a publish on a channel without confirms would go unconfirmed).
 */
final class RabbitChannels {

    private static final Log logger = LogFactory.getLog(RabbitChannels.class);

    private RabbitChannels() {
    }

    /** Opens a channel on the factory's (shared, possibly new) connection and returns it bare. */
    static Channel open(ConnectionFactory connections) {
        Channel channel = connections.createConnection().createChannel(false);
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }

    /** Closes a channel for real (never back into the factory's cache); quietly when it is already gone. */
    static void close(@Nullable Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception ex) {
            logger.debug("Closing a RabbitMQ channel failed", ex);
        }
    }
}
