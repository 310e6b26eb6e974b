package dev.critter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.critter.CritterOptions;
import dev.critter.IMessageBus;
import dev.critter.rabbitmq.app.RabbitTestApps;
import dev.critter.rabbitmq.app.RabbitTestMessages.Doomed;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.rabbitmq.app.RabbitTestMessages.SlowWork;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The RabbitMQ transport against a real broker, driven as an application would: the bus, rules, listeners. */
class RabbitTransportIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueuesAndExchanges() {
        rabbit.close();
    }

    private ApplicationContextRunner app(Consumer<CritterOptions> configuration, String... properties) {
        return RabbitTestApps.recording(rabbit, configuration, properties);
    }

    @Test
    void aMessageRoutedToARabbitQueueReachesEveryHandlerOfItsType() {
        String queue = rabbit.queue("pings");
        app(o -> {
            o.publish(r -> r.message(Ping.class).toRabbitQueue(queue));
            o.listenToRabbitQueue(queue);
        }).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            Recorder recorder = context.getBean(Recorder.class);
            for (int i = 0; i < 50; i++) {
                bus.publish(new Ping("p-" + i));
            }
            await().atMost(WAIT).until(() -> recorder.pings.size() == 50 && recorder.audited.size() == 50);
            assertThat(recorder.pings).hasSize(50).contains("p-0", "p-49");
            // A consumer may get a message before its publisher got the broker's confirm.
            await().atMost(WAIT).until(() -> context.getBean(RabbitTransport.class).confirmedCount() == 50);
        });
    }

    @Test
    void aMessageRoutedToAnExchangeWithARoutingKeyReachesTheBoundQueuesListener() throws Exception {
        String queue = rabbit.queue("exchange-pings");
        String exchange = rabbit.exchange("pings");
        app(o -> {
            o.publish(r -> r.message(Ping.class).toRabbitExchange(exchange, "pings.created"));
            o.listenToRabbitQueue(queue);
        }).run(context -> {
            try (Channel channel = rabbit.channel()) {
                channel.queueBind(queue, exchange, "pings.*");
            }
            context.getBean(IMessageBus.class).publish(new Ping("via-exchange"));
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(WAIT).until(() -> recorder.pings.contains("via-exchange") && recorder.audited.contains("via-exchange"));
        });
    }

    @Test
    void anExchangeWithoutARoutingKeyRoutesByTheMessageTypeName() throws Exception {
        String queue = rabbit.queue("typed-pings");
        String exchange = rabbit.exchange("typed");
        app(o -> {
            o.publish(r -> r.message(Ping.class).toRabbitExchange(exchange));
            o.listenToRabbitQueue(queue);
        }).run(context -> {
            try (Channel channel = rabbit.channel()) {
                channel.queueBind(queue, exchange, Ping.class.getName());
            }
            context.getBean(IMessageBus.class).publish(new Ping("by-type"));
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(WAIT).until(() -> recorder.pings.contains("by-type"));
        });
    }

    @Test
    void aPublishedMessageCarriesTheWireFormatOfTheSpec() {
        String queue = rabbit.queue("wire");
        app(o -> o.publish(r -> r.message(Ping.class).toRabbitQueue(queue))).run(context -> {
            context.getBean(IMessageBus.class).publish(new Ping("on-the-wire"));
            GetResponse response;
            try (Channel channel = rabbit.channel()) {
                await().atMost(WAIT).until(() -> rabbit.ready(queue) == 1);
                response = channel.basicGet(queue, true);
            }
            AMQP.BasicProperties properties = response.getProps();
            assertThat(properties.getContentType()).isEqualTo("application/json");
            assertThat(properties.getType()).isEqualTo(Ping.class.getName());
            assertThat(properties.getDeliveryMode()).isEqualTo(2);
            Map<String, Object> headers = properties.getHeaders();
            assertThat(headers.get("critter-id").toString()).isEqualTo(properties.getMessageId());
            assertThat(headers.get("critter-message-type").toString()).isEqualTo(Ping.class.getName());
            assertThat(headers.get("critter-correlation-id").toString()).isEqualTo(properties.getCorrelationId());
            assertThat(headers).containsKeys("critter-sent-at", "critter-attempts");
            assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"on-the-wire\"}");
        });
    }

    @Test
    void aMessageFromANonCritterPublisherIsHandledByItsTypeOrTheListenersDefaultType() throws Exception {
        String queue = rabbit.queue("foreign");
        app(o -> { }, "critter.rabbitmq.listeners[0].queue=" + queue,
                "critter.rabbitmq.listeners[0].default-message-type=" + Ping.class.getName()).run(context -> {
            try (Channel channel = rabbit.channel()) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().type(Ping.class.getName()).build(),
                        "{\"id\":\"typed-by-amqp\"}".getBytes(StandardCharsets.UTF_8));
                channel.basicPublish("", queue, new AMQP.BasicProperties(),
                        "{\"id\":\"untyped\"}".getBytes(StandardCharsets.UTF_8));
            }
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(WAIT).until(() -> recorder.pings.containsAll(List.of("typed-by-amqp", "untyped")));
        });
    }

    @Test
    void aListenerRunsAtMostItsParallelismAtOnceAndTakesOnlyItsPrefetchAhead() {
        String queue = rabbit.queue("slow");
        app(o -> {
            o.publish(r -> r.message(SlowWork.class).toRabbitQueue(queue));
            o.listenToRabbitQueue(queue).parallelism(3).prefetch(5);
        }).run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            IMessageBus bus = context.getBean(IMessageBus.class);
            for (int i = 0; i < 12; i++) {
                bus.publish(new SlowWork(i));
            }
            // Three handlers blocked, two more deliveries prefetched: the other seven stay on the broker.
            await().atMost(WAIT).until(() -> recorder.running.get() == 3 && rabbit.ready(queue) == 7);
            assertThat(recorder.maxRunning.get()).isEqualTo(3);
            recorder.gate.countDown();
            await().atMost(WAIT).until(() -> recorder.slowDone.get() == 12);
            assertThat(recorder.maxRunning.get()).isEqualTo(3);
            assertThat(rabbit.ready(queue)).isZero();
        });
    }

    @Test
    void badInputGoesToTheQueuesDeadLetterQueueWithItsReasonAndTheListenerKeepsConsuming() throws Exception {
        String queue = rabbit.queue("bad-input");
        app(o -> o.listenToRabbitQueue(queue)).run(context -> {
            try (Channel channel = rabbit.channel()) {
                publish(channel, queue, Ping.class.getName(), "not json at all {");
                publish(channel, queue, "com.example.NobodyKnowsMe", "{\"id\":\"x\"}");
                publish(channel, queue, "java.lang.ProcessBuilder", "{\"command\":[\"touch\",\"/tmp/critter-pwned\"]}");
                channel.basicPublish("", queue, new AMQP.BasicProperties(), "{\"id\":\"no type\"}".getBytes(StandardCharsets.UTF_8));
                publish(channel, queue, Ping.class.getName(), "{\"id\":\"good-after-bad\"}");
            }
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(WAIT).until(() -> recorder.pings.contains("good-after-bad"));
            String dlq = queue + ".dlq";
            await().atMost(WAIT).until(() -> rabbit.ready(dlq) == 4);
            List<Map<String, Object>> deadLetters = new ArrayList<>();
            try (Channel channel = rabbit.channel()) {
                for (int i = 0; i < 4; i++) {
                    deadLetters.add(channel.basicGet(dlq, true).getProps().getHeaders());
                }
            }
            assertThat(deadLetters).extracting(h -> h.get("critter-exception-type").toString())
                    .containsExactlyInAnyOrder("unreadable-body", "unknown-message-type", "unknown-message-type",
                            "missing-message-type");
            assertThat(deadLetters).allSatisfy(h -> {
                assertThat(h.get("critter-original-queue").toString()).isEqualTo(queue);
                assertThat(h).containsKeys("critter-exception-message", "critter-failed-at");
            });
            assertThat(rabbit.ready(queue)).isZero();
            assertThat(recorder.pings).containsExactly("good-after-bad");
        });
        assertThat(new java.io.File("/tmp/critter-pwned")).doesNotExist();
    }

    @Test
    void aHandlerThatExhaustsItsPolicyGoesToTheQueuesDeadLetterQueueWithTheReasonAndTheListenerKeepsConsuming()
            throws Exception {
        String queue = rabbit.queue("exhausted");
        app(o -> o.listenToRabbitQueue(queue)).run(context -> {
            String body = "{\"id\":\"d-1\"}";
            try (Channel channel = rabbit.channel()) {
                publish(channel, queue, Doomed.class.getName(), body);
                publish(channel, queue, Ping.class.getName(), "{\"id\":\"after-doomed\"}");
            }
            Recorder recorder = context.getBean(Recorder.class);
            String dlq = queue + ".dlq";
            await().atMost(WAIT).until(() -> recorder.pings.contains("after-doomed") && rabbit.ready(dlq) == 1);
            GetResponse deadLetter;
            try (Channel channel = rabbit.channel()) {
                deadLetter = channel.basicGet(dlq, true);
            }
            Map<String, Object> headers = deadLetter.getProps().getHeaders();
            assertThat(headers.get("critter-exception-type").toString()).isEqualTo(IllegalStateException.class.getName());
            assertThat(headers.get("critter-exception-message").toString()).isEqualTo("Doomed d-1 always fails");
            assertThat(headers.get("critter-original-queue").toString()).isEqualTo(queue);
            assertThat(headers.get("critter-handler").toString()).contains("DoomedHandler");
            assertThat(headers).containsKey("critter-failed-at");
            assertThat(headers.get("critter-message-type").toString()).isEqualTo(Doomed.class.getName());
            assertThat(new String(deadLetter.getBody(), StandardCharsets.UTF_8)).isEqualTo(body);
            // Not in Critter's dead-letter store as well, and acked: nothing left on the queue.
            assertThat(context.getBean(dev.critter.DeadLetters.class).count()).isZero();
            assertThat(rabbit.ready(queue)).isZero();
        });
    }

    @Test
    void aQueueThatExistsWithOtherArgumentsFailsStartUpNamingTheArgument() throws Exception {
        String queue = rabbit.queue("mismatch");
        try (Channel channel = rabbit.channel()) {
            channel.queueDeclare(queue, true, false, false, Map.of("x-dead-letter-exchange", "somewhere-else"));
        }
        app(o -> o.listenToRabbitQueue(queue)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure()))
                    .contains("x-dead-letter-exchange").contains(queue).contains("auto-provision=false");
        });
    }

    @Test
    void withAutoProvisioningOffNothingIsDeclared() {
        String queue = rabbit.queue("not-provisioned");
        app(o -> o.publish(r -> r.message(Ping.class).toRabbitQueue(queue)), "critter.rabbitmq.auto-provision=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(queueIsMissing(rabbit.channel(), queue)).isTrue();
                });
    }

    /** The broker closes the channel when the queue is missing; the test connection's close cleans it up. */
    private static boolean queueIsMissing(Channel channel, String queue) {
        try {
            channel.queueDeclarePassive(queue);
            return false;
        } catch (java.io.IOException ex) {
            return true;
        }
    }

    private static void publish(Channel channel, String queue, String type, String body) throws java.io.IOException {
        Map<String, Object> headers = new HashMap<>();
        headers.put("critter-message-type", type);
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().headers(headers).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
            if (t instanceof dev.critter.CritterConfigurationException configuration) {
                messages.append(configuration.fix()).append('\n');
            }
        }
        return messages.toString();
    }
}
