package dev.critter.durability.jdbc.deadletters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Messages, handlers and an application shared by the durable dead-letter tests. */
public final class DeadLetterFixtures {

    /** Properties every test application of this package starts with (plus {@code spring.datasource.*}). */
    static final List<String> PROPERTIES = List.of(
            "critter.handlers.base-packages=" + DeadLetterFixtures.class.getPackageName(),
            "critter.errors.retry-cooldowns=5ms,5ms",
            "critter.shutdown-timeout=5s",
            "critter.service-name=dead-letter-tests",
            "critter.durability.poll-interval=100ms",
            "management.endpoints.web.exposure.include=critterdeadletters",
            "spring.main.banner-mode=off",
            "spring.jpa.open-in-view=false");

    /** How long a test waits for something to happen. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Ids of {@link Ship}s whose handler throws. */
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
    /** How often {@link ShipHandler} handled each ship id. */
    static final Map<String, AtomicInteger> SHIPPED = new ConcurrentHashMap<>();
    /** How often {@link ShipAuditHandler} handled each ship id. */
    static final Map<String, AtomicInteger> AUDITED = new ConcurrentHashMap<>();

    private DeadLetterFixtures() {
    }

    static void reset() {
        FAILING.clear();
        SHIPPED.clear();
        AUDITED.clear();
    }

    static int shipped(String id) {
        AtomicInteger count = SHIPPED.get(id);
        return count == null ? 0 : count.get();
    }

    static int audited(String id) {
        AtomicInteger count = AUDITED.get(id);
        return count == null ? 0 : count.get();
    }

    /** @param id the ship's id */
    public record Ship(String id) {
    }

    /** @param id the bill's id */
    public record Bill(String id) {
    }

    /** Fails for the ids in {@link #FAILING}; counts the others. */
    public static class ShipHandler {
        /** @param ship the ship */
        public void handle(Ship ship) {
            if (FAILING.contains(ship.id())) {
                throw new IllegalStateException("no truck for " + ship.id());
            }
            SHIPPED.computeIfAbsent(ship.id(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** A second chain for {@link Ship} that always succeeds: a replay must not run it again. */
    public static class ShipAuditHandler {
        /** @param ship the ship */
        public void handle(Ship ship) {
            AUDITED.computeIfAbsent(ship.id(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Always fails. */
    public static class BillHandler {
        /** @param bill the bill */
        public void handle(Bill bill) {
            throw new UnsupportedOperationException("billing is down");
        }
    }

    /**
     * A transport that delivers what a test gives it, as a broker listener or a durable queue
     * reading its rows would: the way bad input (a {@code RawMessage}) reaches the pipeline.
     */
    public static final class BadInputTransport implements Transport {

        static final Destination INBOX = new Destination("test", "inbox");

        private volatile EnvelopeReceiver receiver;
        private volatile Endpoint endpoint;

        @Override
        public String scheme() {
            return "test";
        }

        @Override
        public List<Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
            this.receiver = receiver;
            this.endpoint = new Endpoint() {
                @Override
                public Destination destination() {
                    return INBOX;
                }

                @Override
                public void send(Envelope envelope, boolean fromHandler) {
                    receiver.receive(envelope, this);
                }
            };
            return List.of(endpoint);
        }

        /** Hands an envelope to the pipeline, as if received at {@code test://inbox}. */
        void deliver(Envelope envelope) {
            receiver.receive(envelope, endpoint);
        }

        @Override
        public void start() {
        }

        @Override
        public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        }
    }

    /** The application: everything auto-configured from the class path, as with the starter. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class App {

        @Bean
        BadInputTransport badInputTransport() {
            return new BadInputTransport();
        }
    }
}
