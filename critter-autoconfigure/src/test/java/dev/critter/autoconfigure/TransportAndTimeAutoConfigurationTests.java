package dev.critter.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.critter.CritterConfigurer;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.autoconfigure.handlers.SampleHandlers;
import dev.critter.autoconfigure.handlers.SampleHandlers.AuditEntry;
import dev.critter.autoconfigure.handlers.SampleHandlers.Orders;
import dev.critter.local.LocalTransport;
import dev.critter.support.CritterContexts;
import dev.critter.testing.MessageTracking;
import dev.critter.testing.TestClock;
import dev.critter.testing.TrackedSession;
import dev.critter.time.TimeSource;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The time source and transport beans: present by default, taken from the app, replaceable. */
class TransportAndTimeAutoConfigurationTests {

    private final ApplicationContextRunner runner = CritterContexts.scanning(SampleHandlers.class);

    @Test
    void withoutAClockBeanCritterUsesTheSystemClockAndTheLocalTransport() {
        runner.run(context -> {
            assertThat(context.getBean(TimeSource.class).clock()).isEqualTo(Clock.systemUTC());
            assertThat(context.getBean(LocalTransport.class).queues()).extracting(q -> q.settings().name())
                    .contains("orders", "audit-entry");
        });
    }

    @Test
    void theApplicationsClockBeanStampsEnvelopes() {
        TestClock clock = new TestClock();
        clock.advance(Duration.ofDays(3));
        runner.withBean(TestClock.class, () -> clock).run(context -> {
            assertThat(context.getBean(TimeSource.class).clock()).isSameAs(clock);
            TrackedSession session = context.getBean(MessageTracking.class).publishAndWait(new Orders("o-1"));
            assertThat(session.executed().envelopes().get(0).sentAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void aUserTimeSourceWins() {
        TimeSource mine = new TimeSource(Clock.systemDefaultZone());
        runner.withBean(TimeSource.class, () -> mine)
                .run(context -> assertThat(context.getBean(TimeSource.class)).isSameAs(mine));
    }

    /**
     * A transport of its own, in memory, proving the seam: endpoints built from the configuration,
     * deliveries handed back through the receiver. (It takes the rabbitmq scheme only because
     * publishing rules name local and rabbitmq destinations; it has nothing of RabbitMQ.)
     */
    static final class LoopbackTransport implements Transport {

        final List<Envelope> sent = new CopyOnWriteArrayList<>();
        volatile boolean started;

        @Override
        public String scheme() {
            return "rabbitmq";
        }

        @Override
        public List<Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
            Destination audit = new Destination("rabbitmq", "queue/audit");
            return List.of(new Endpoint() {
                @Override
                public Destination destination() {
                    return audit;
                }

                @Override
                public void send(Envelope envelope, boolean fromHandler) {
                    sent.add(envelope);
                    receiver.receive(envelope, this);
                }
            });
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void stop(Duration timeout, java.util.function.Function<Envelope, String> handlerOf) {
            started = false;
        }
    }

    @Test
    void aSecondTransportGetsWhatRulesRouteToItsSchemeAndHandsDeliveriesBackToThePipeline() {
        LoopbackTransport loopback = new LoopbackTransport();
        runner.withBean(LoopbackTransport.class, () -> loopback)
                .withBean(CritterConfigurer.class, () -> o ->
                        o.publish(r -> r.message(AuditEntry.class).toRabbitQueue("audit")))
                .run(context -> {
                    assertThat(loopback.started).isTrue();
                    TrackedSession session = context.getBean(MessageTracking.class)
                            .executeAndWait(() -> context.getBean(IMessageBus.class).publish(new AuditEntry("a")));
                    assertThat(loopback.sent).extracting(Envelope::message).containsExactly(new AuditEntry("a"));
                    assertThat(session.executed().singleMessage(AuditEntry.class)).isEqualTo(new AuditEntry("a"));
                    assertThat(context.getBean(LocalTransport.class).queues()).extracting(q -> q.settings().name())
                            .doesNotContain("audit-entry");
                });
    }

    @Test
    void aTransportThatBuildsAnEndpointOutsideItsSchemeFailsStartUp() {
        Transport confused = new Transport() {
            @Override
            public String scheme() {
                return "memo";
            }

            @Override
            public List<Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
                return List.of(new Endpoint() {
                    @Override
                    public Destination destination() {
                        return new Destination("local", "orders");
                    }

                    @Override
                    public void send(Envelope envelope, boolean fromHandler) {
                    }
                });
            }

            @Override
            public void start() {
            }

            @Override
            public void stop(Duration timeout, java.util.function.Function<Envelope, String> handlerOf) {
            }
        };
        runner.withBean(Transport.class, () -> confused).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("local://orders")
                    .hasStackTraceContaining("outside its scheme 'memo'");
        });
    }
}
