package dev.critter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.critter.CritterOptions;
import dev.critter.rabbitmq.app.RabbitTestApps;
import dev.critter.rabbitmq.app.RabbitTestMessages.Gated;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A buffered listener acknowledges consecutive handled deliveries together: every handled one is
 * acked (none comes back after a stop), and none is acked while its handler still runs.
 */
class RabbitListenerAcksIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueuesAndExchanges() {
        rabbit.close();
    }

    private ApplicationContextRunner app(Consumer<CritterOptions> configuration) {
        return RabbitTestApps.recording(rabbit, configuration);
    }

    @Test
    void everyHandledOrDeadLetteredDeliveryIsAckedAndNoneComesBackAfterTheListenerStops() throws Exception {
        String queue = rabbit.queue("acked-together");
        int pings = 2_000;
        int garbage = 20;
        app(o -> o.listenToRabbitQueue(queue).parallelism(2).prefetch(40)).run(context -> {
            try (Channel channel = rabbit.channel()) {
                channel.confirmSelect();
                for (int i = 0; i < pings; i++) {
                    publish(channel, queue, Ping.class.getName(), "{\"id\":\"p-" + i + "\"}");
                    if (i % (pings / garbage) == 0) {
                        publish(channel, queue, Ping.class.getName(), "not json {");
                    }
                }
                channel.waitForConfirmsOrDie(WAIT.toMillis());
            }
            Recorder recorder = context.getBean(Recorder.class);
            RabbitTransport transport = context.getBean(RabbitTransport.class);
            await().atMost(WAIT).until(() -> recorder.pings.size() == pings);
            await().atMost(WAIT).until(() -> rabbit.ready(queue + ".dlq") == garbage);
            // Handled and dead-lettered deliveries alike are acked, the last ones too (the listener went idle).
            await().atMost(WAIT).until(() -> figures(transport, queue).ackedCount() == pings + garbage);
            assertThat(figures(transport, queue).receivedCount()).isEqualTo(pings + garbage);
        });
        // Stopped and disconnected: an unacked delivery would be back on the queue now.
        assertThat(rabbit.ready(queue)).isZero();
    }

    @Test
    void aDeliveryIsNotAckedWhileItsHandlerRunsAndTheOthersAreAckedMeanwhile() throws Exception {
        String queue = rabbit.queue("held");
        int pings = 60;
        app(o -> o.listenToRabbitQueue(queue).parallelism(2).prefetch(8)).run(context -> {
            try (Channel channel = rabbit.channel()) {
                publish(channel, queue, Gated.class.getName(), "{\"id\":\"held\"}");
                for (int i = 0; i < pings; i++) {
                    publish(channel, queue, Ping.class.getName(), "{\"id\":\"p-" + i + "\"}");
                }
            }
            Recorder recorder = context.getBean(Recorder.class);
            RabbitTransport transport = context.getBean(RabbitTransport.class);
            // The first delivery blocks one worker; far more than the prefetch get handled past it,
            // so the others were acked without waiting for it.
            await().atMost(WAIT).until(() -> recorder.pings.size() == pings);
            await().atMost(WAIT).until(() -> figures(transport, queue).ackedCount() == pings);
            assertThat(recorder.running.get()).isEqualTo(1);
            assertThat(figures(transport, queue).ackedCount()).isEqualTo(pings);
            recorder.gate.countDown();
            await().atMost(WAIT).until(() -> figures(transport, queue).ackedCount() == pings + 1);
            assertThat(recorder.gated).containsExactly("held");
        });
        assertThat(rabbit.ready(queue)).isZero();
    }

    private static RabbitListenerFigures figures(RabbitTransport transport, String queue) {
        return transport.listenerStatuses().stream().filter(s -> s.queue().equals(queue)).findFirst().orElseThrow()
                .figures();
    }

    private static void publish(Channel channel, String queue, String type, String body) throws java.io.IOException {
        Map<String, Object> headers = new HashMap<>();
        headers.put("critter-message-type", type);
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().headers(headers).deliveryMode(2).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
