package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.rabbitmq.RabbitTransport.ListenerStatus;
import dev.critter.rabbitmq.app.RabbitTestMessages.Gated;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publisher and listener survive what the broker does to them mid-stream, without a restart of
 * the application: connections closed by the broker ({@code rabbitmqctl close_all_connections},
 * scoped to the test's own virtual host) and a broker restart ({@code rabbitmqctl stop_app /
 * start_app}). Deliveries are in flight (handlers blocked) when the fault hits, and messages are
 * published while the connection is gone; every one is handled afterwards (at least once), and
 * the listener is shown consuming again by the broker's consumer count and by new deliveries.
 */
class RabbitRecoveryIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestRabbit rabbit = TestRabbit.inOwnVirtualHost();

    @AfterEach
    void deleteTheTestsVirtualHost() {
        rabbit.close();
    }

    private ApplicationContextRunner app(String queue) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.rabbitmq.recovery-interval=1s",
                        "critter.handlers.base-packages=" + Gated.class.getPackageName())
                .withBean(Recorder.class, Recorder::new)
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.publish(r -> r.message(Gated.class).toRabbitQueue(queue));
                    o.listenToRabbitQueue(queue).parallelism(2).prefetch(10);
                });
    }

    @Test
    void connectionsClosedByTheBrokerMidStreamAreSurvivedByThePublisherAndTheListener() {
        String queue = rabbit.queue("closed");
        app(queue).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            Recorder recorder = context.getBean(Recorder.class);
            publish(bus, 0, 100);
            // Two handlers hold deliveries, eight more wait prefetched, the rest stay on the broker.
            await().atMost(WAIT).until(() -> recorder.running.get() == 2 && rabbit.ready(queue) == 90);

            rabbit.closeAllConnections();
            // Published while the publisher's channel is gone: kept, and published on the new connection.
            publish(bus, 100, 200);

            await().atMost(WAIT).until(() -> status(context).figures().recoveryCount() >= 1 && status(context).consuming());
            recorder.gate.countDown();
            await().atMost(WAIT).until(() -> new HashSet<>(recorder.gated).containsAll(ids(0, 200)));
            assertConsumingAgain(context, queue);
        });
    }

    @Test
    void aBrokerRestartMidStreamLosesNoConfirmedMessageAndTheListenerConsumesAgain() {
        String queue = rabbit.queue("restart");
        app(queue).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            Recorder recorder = context.getBean(Recorder.class);
            RabbitTransport transport = context.getBean(RabbitTransport.class);
            publish(bus, 0, 100);
            await().atMost(WAIT).until(() -> recorder.running.get() == 2 && transport.confirmedCount() == 100);

            rabbit.stopBroker();
            try {
                // Published while the broker is down: buffered until it is back, never dropped.
                publish(bus, 100, 200);
                assertThat(transport.confirmedCount()).isEqualTo(100);
                await().atMost(WAIT).until(() -> !status(context).consuming());
            } finally {
                rabbit.startBroker();
            }

            await().atMost(WAIT).until(() -> transport.confirmedCount() >= 200 && status(context).consuming());
            recorder.gate.countDown();
            await().atMost(WAIT).until(() -> new HashSet<>(recorder.gated).containsAll(ids(0, 200)));
            assertThat(status(context).figures().recoveryCount()).isGreaterThanOrEqualTo(1);
            assertConsumingAgain(context, queue);
        });
    }

    /** The broker counts the listener's consumer, and a message published now is handled. */
    private void assertConsumingAgain(ApplicationContext context, String queue) {
        await().atMost(WAIT).until(() -> rabbit.consumers(queue) == 1);
        context.getBean(IMessageBus.class).publish(new Gated("after-recovery"));
        Recorder recorder = context.getBean(Recorder.class);
        await().atMost(WAIT).until(() -> recorder.gated.contains("after-recovery"));
        await().atMost(WAIT).until(() -> rabbit.ready(queue) == 0);
        assertThat(status(context).consuming()).isTrue();
    }

    private static ListenerStatus status(ApplicationContext context) {
        return context.getBean(RabbitTransport.class).listenerStatuses().get(0);
    }

    private static void publish(IMessageBus bus, int from, int to) {
        for (int i = from; i < to; i++) {
            bus.publish(new Gated("g-" + i));
        }
    }

    private static Set<String> ids(int from, int to) {
        Set<String> ids = new HashSet<>();
        IntStream.range(from, to).forEach(i -> ids.add("g-" + i));
        return ids;
    }
}
