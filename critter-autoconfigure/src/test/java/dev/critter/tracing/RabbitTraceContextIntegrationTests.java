package dev.critter.tracing;

import java.time.Duration;
import java.util.List;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.observability.HandleObservationContext;
import dev.critter.observability.SendObservationContext;
import dev.critter.rabbitmq.app.RabbitTestMessages.Ping;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;
import dev.critter.tracing.TraceContextTests.W3cPropagation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sender's trace continues in the handler of another application across RabbitMQ: the send
 * observation writes {@code traceparent} into the envelope's headers, the wire carries it as an
 * AMQP header, and the receiving application's handling observation reads it back. Two
 * application contexts with a registry each, so nothing but the wire connects them.
 */
class RabbitTraceContextIntegrationTests {

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueues() {
        rabbit.close();
    }

    private ApplicationContextRunner app(ObservationRegistry registry, CritterConfigurer configurer) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.handlers.base-packages=" + Ping.class.getPackageName())
                .withBean(Recorder.class, Recorder::new)
                .withBean(ObservationRegistry.class, () -> registry)
                .withBean(CritterConfigurer.class, () -> configurer);
    }

    @Test
    void theHandlerInTheReceivingApplicationContinuesTheTraceOfTheSender() {
        String queue = rabbit.queue("traced");
        W3cPropagation senderTracing = new W3cPropagation();
        ObservationRegistry senderRegistry = ObservationRegistry.create();
        senderRegistry.observationConfig().observationHandler(senderTracing);
        W3cPropagation receiverTracing = new W3cPropagation();
        ObservationRegistry receiverRegistry = ObservationRegistry.create();
        receiverRegistry.observationConfig().observationHandler(receiverTracing);

        app(receiverRegistry, o -> o.listenToRabbitQueue(queue)).run(receiver ->
                app(senderRegistry, o -> o.publish(r -> r.message(Ping.class).toRabbitQueue(queue))).run(sender -> {
                    Observation request = Observation.start("http.request", senderRegistry);
                    try (Observation.Scope scope = request.openScope()) {
                        sender.getBean(IMessageBus.class).publish(new Ping("traced"));
                    } finally {
                        request.stop();
                    }
                    Recorder recorder = receiver.getBean(Recorder.class);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> recorder.pings.contains("traced") && recorder.audited.contains("traced")
                                    && receiverTracing.handles(Ping.class).size() == 2);

                    SendObservationContext send = senderTracing.send(Ping.class);
                    List<HandleObservationContext> handles = receiverTracing.handles(Ping.class);
                    assertThat(handles).allSatisfy(handle -> {
                        assertThat(W3cPropagation.trace(handle)).isEqualTo(W3cPropagation.trace(request.getContext()));
                        assertThat(handle.envelope().headers().get("traceparent"))
                                .isEqualTo(W3cPropagation.traceparent(send));
                    });
                }));
    }
}
