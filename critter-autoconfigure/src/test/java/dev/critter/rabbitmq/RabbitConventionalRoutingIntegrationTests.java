package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.handler.MessageTypes;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conventional routing against a real broker: an exchange per message type, a queue per handled
 * type bound to it and listened to. Names come from the message types, so each test runs in a
 * virtual host of its own.
 */
class RabbitConventionalRoutingIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PING = MessageTypes.nameOf(Ping.class);

    private final TestRabbit rabbit = TestRabbit.inOwnVirtualHost();

    @AfterEach
    void deleteTheTestsVirtualHost() {
        rabbit.close();
    }

    private ApplicationContextRunner app(String handlerPackage, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.handlers.base-packages=" + handlerPackage)
                .withPropertyValues(properties)
                .withBean(Recorder.class, Recorder::new);
    }

    @Test
    void configuredInPropertiesAMessageGoesThroughItsTypesExchangeAndQueueToEveryHandlerOfItsType() throws Exception {
        app(Ping.class.getPackageName(), "critter.rabbitmq.conventional-routing=true").run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            List<String> ids = IntStream.range(0, 20).mapToObj(i -> "c-" + i).toList();
            ids.forEach(id -> bus.publish(new Ping(id)));
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(WAIT).until(() -> recorder.pings.containsAll(ids) && recorder.audited.containsAll(ids));
            assertThat(recorder.pings).hasSize(20);
            assertThat(recorder.audited).hasSize(20);

            RabbitTransport transport = context.getBean(RabbitTransport.class);
            // A consumer may see a message before its publisher counted the broker's confirm.
            await().atMost(WAIT).until(() -> transport.confirmedCount() == 20);
            assertThat(transport.listenerStatuses()).filteredOn(l -> l.queue().equals(PING)).singleElement()
                    .satisfies(l -> assertThat(l.figures().receivedCount()).isEqualTo(20));
            try (Channel channel = rabbit.channel()) {
                // Declared passively: they exist as the convention says, or the channel closes with 404.
                channel.exchangeDeclarePassive(PING);
                channel.queueDeclarePassive(PING);
                channel.queueDeclarePassive(PING + ".dlq");
            }
            assertThat(rabbit.consumers(PING)).isEqualTo(1);
        });
    }

    @Test
    void configuredInJavaASenderWithoutHandlersReachesTheApplicationThatHandlesTheType() {
        CritterConfigurer conventional = o -> o.useConventionalRabbitRouting();
        app(Ping.class.getPackageName()).withBean(CritterConfigurer.class, () -> conventional).run(receiver ->
                app("dev.critter.rabbitmq.nohandlers").withBean(CritterConfigurer.class, () -> conventional).run(sender -> {
                    sender.getBean(IMessageBus.class).send(new Ping("from-another-app"));
                    Recorder recorder = receiver.getBean(Recorder.class);
                    await().atMost(WAIT).until(() -> recorder.pings.contains("from-another-app")
                            && recorder.audited.contains("from-another-app"));
                    assertThat(sender.getBean(Recorder.class).pings).isEmpty();
                    // The sender listens to nothing but its own reply queue.
                    assertThat(sender.getBean(RabbitTransport.class).listenerStatuses())
                            .extracting(RabbitTransport.ListenerStatus::queue)
                            .allMatch(q -> q.startsWith(RabbitTransport.REPLY_QUEUE_PREFIX));
                }));
    }

    @Test
    void aPublishingRuleWinsOverTheConvention() {
        String queue = rabbit.queue("ruled");
        app(Ping.class.getPackageName(), "critter.rabbitmq.conventional-routing=true")
                .withBean(CritterConfigurer.class, () -> o -> {
                    o.publish(r -> r.message(Ping.class).toRabbitQueue(queue));
                    o.listenToRabbitQueue(queue);
                })
                .run(context -> {
                    context.getBean(IMessageBus.class).publish(new Ping("ruled"));
                    Recorder recorder = context.getBean(Recorder.class);
                    await().atMost(WAIT).until(() -> recorder.pings.contains("ruled"));
                    assertThat(context.getBean(RabbitTransport.class).listenerStatuses())
                            .extracting(RabbitTransport.ListenerStatus::queue).doesNotContain(PING).contains(queue);
                });
    }
}
