package dev.critter.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.ReplyTimeoutException;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitAutoConfiguration;
import dev.critter.rabbitmq.app.RabbitTestMessages.Answer;
import dev.critter.rabbitmq.app.RabbitTestMessages.Question;
import dev.critter.rabbitmq.app.RabbitTestMessages.Recorder;
import dev.critter.support.TestRabbit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bus.invoke(request, Reply.class)} where the handler lives in another application: the
 * request goes through RabbitMQ carrying the caller's reply queue, the reply comes back there and
 * completes the caller by correlation id. Two application contexts; nothing but the broker joins them.
 */
class RabbitRequestReplyIntegrationTests {

    private final TestRabbit rabbit = new TestRabbit();

    @AfterEach
    void deleteTheTestsQueues() {
        rabbit.close();
    }

    private ApplicationContextRunner app(String handlerPackage, String name, CritterConfigurer configurer,
                                         String... properties) {
        Recorder recorder = new Recorder();
        recorder.name = name;
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, CritterAutoConfiguration.class,
                        CritterRabbitAutoConfiguration.class))
                .withPropertyValues(rabbit.properties())
                .withPropertyValues("critter.rabbitmq.enabled=true", "critter.shutdown-timeout=5s",
                        "critter.handlers.base-packages=" + handlerPackage)
                .withPropertyValues(properties)
                .withBean(Recorder.class, () -> recorder)
                .withBean(CritterConfigurer.class, () -> configurer);
    }

    @Test
    void aCallerInvokesAHandlerOfAnotherApplicationAndGetsItsReply() {
        String queue = rabbit.queue("questions");
        app(Question.class.getPackageName(), "responder", o -> o.listenToRabbitQueue(queue)).run(responder ->
                app("dev.critter.rabbitmq.nohandlers", "caller",
                        o -> o.publish(r -> r.message(Question.class).toRabbitQueue(queue)),
                        "critter.invoke.timeout=30s").run(caller -> {
                    IMessageBus bus = caller.getBean(IMessageBus.class);
                    Answer answer = bus.invoke(new Question("ping"), Answer.class);
                    assertThat(answer).isEqualTo(new Answer("PING", "responder"));

                    // Concurrent requests are told apart by correlation: each caller gets its own answer.
                    List<CompletableFuture<Answer>> replies = IntStream.range(0, 20)
                            .mapToObj(i -> bus.invokeAsync(new Question("q" + i), Answer.class)).toList();
                    for (int i = 0; i < 20; i++) {
                        assertThat(replies.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS).text()).isEqualTo("Q" + i);
                    }
                }));
    }

    @Test
    void aRequestNobodyAnswersTimesOutWithReplyTimeoutException() {
        String queue = rabbit.queue("unanswered");
        app("dev.critter.rabbitmq.nohandlers", "caller", o -> o.publish(r -> r.message(Question.class).toRabbitQueue(queue)),
                "critter.invoke.timeout=1s").run(caller -> {
                    IMessageBus bus = caller.getBean(IMessageBus.class);
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> bus.invoke(new Question("anyone?"), Answer.class))
                            .isInstanceOf(ReplyTimeoutException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                    // The request itself was delivered to the queue: only the answer is missing.
                    assertThat(rabbit.ready(queue)).isEqualTo(1);
                });
    }
}
