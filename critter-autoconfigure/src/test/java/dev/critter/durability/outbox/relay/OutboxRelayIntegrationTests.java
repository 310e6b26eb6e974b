package dev.critter.durability.outbox.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.support.DurableApps;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.transport.Destination;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Transport;
import dev.critter.transport.TransportConfiguration;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.critter.support.DurableRows.Table.OUTGOING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay against real PostgreSQL: a message whose destination refused it after the
 * commit stays in the outbox and is sent once the destination is back; rows left by a dead node
 * are claimed by live nodes, each sent once.
 */
class OutboxRelayIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String HANDLERS = "critter.handlers.base-packages=" + OutboxRelayIntegrationTests.class.getPackageName();

    static final Map<String, AtomicInteger> PARCELS = new ConcurrentHashMap<>();
    static final Map<Integer, AtomicInteger> PINGS = new ConcurrentHashMap<>();

    public record Parcel(String id) { }
    public record RelayedPing(int n) { }

    @Test
    void aMessageWhoseDestinationIsDownStaysInTheOutboxAndIsSentOnceItIsBack() {
        TestDatabase database = TestPostgres.newDatabase(OutboxRelayIntegrationTests.class);
        try (ConfigurableApplicationContext app = DurableApps.start(database, new Class<?>[] {Courier.class}, HANDLERS,
                "critter.durability.poll-interval=200ms")) {
            CourierTransport courier = app.getBean(CourierTransport.class);
            courier.down = true;
            IMessageBus bus = app.getBean(IMessageBus.class);
            DurableRows rows = new DurableRows(app.getBean(DataSource.class));

            transactions(app).executeWithoutResult(status -> bus.publish(new Parcel("down-then-back")));

            await().atMost(WAIT).until(() -> sendAttempts(rows.jdbc()) >= 2);
            assertThat(rows.count(OUTGOING)).as("the row stays while the destination refuses").isOne();
            assertThat(times(PARCELS, "down-then-back")).isZero();

            courier.down = false;
            await().atMost(WAIT).until(() -> rows.count(OUTGOING) == 0);
            assertThat(times(PARCELS, "down-then-back")).isOne();
            assertThat(courier.refusals.get()).as("the after-commit send and the relay's retries")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void rowsOfADeadNodeAndUnownedRowsAreSentOnceAcrossTwoNodes() {
        TestDatabase database = TestPostgres.newDatabase(OutboxRelayIntegrationTests.class);
        String[] fastRecovery = {HANDLERS, "critter.durability.poll-interval=200ms",
                "critter.durability.node-heartbeat=500ms", "critter.durability.node-lease=2s"};
        try (ConfigurableApplicationContext first = DurableApps.start(database, new Class<?>[] {Courier.class}, fastRecovery);
             ConfigurableApplicationContext second = DurableApps.start(database, new Class<?>[] {Courier.class}, fastRecovery)) {
            DurableRows rows = new DurableRows(first.getBean(DataSource.class));
            java.util.UUID dead = rows.node(Duration.ofMinutes(5));
            rows.inOneTransaction(() -> {
                insertPings(rows.jdbc(), dead, 1, 3_000);
                insertPings(rows.jdbc(), null, 3_001, 4_000);
            });
            // Meanwhile both nodes publish in transactions of their own.
            for (int i = 0; i < 50; i++) {
                int n = 10_000 + i * 4;
                ConfigurableApplicationContext node = i % 2 == 0 ? first : second;
                IMessageBus bus = node.getBean(IMessageBus.class);
                transactions(node).executeWithoutResult(status -> {
                    for (int k = 0; k < 4; k++) {
                        bus.publish(new RelayedPing(n + k));
                    }
                });
            }

            await().atMost(WAIT).until(() -> PINGS.size() == 4_200 && rows.count(OUTGOING) == 0);
            assertThat(PINGS.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey).toList())
                    .as("messages handled more than once").isEmpty();
            assertThat(rows.ownedBy(dead)).isZero();
        }
    }

    private static void insertPings(JdbcClient jdbc, java.util.UUID owner, int from, int to) {
        jdbc.sql("""
                INSERT INTO critter.critter_outgoing_envelopes (id, destination, message_type, body, sent_at, owner_node_id)
                SELECT gen_random_uuid(), 'local://relayed-ping', ?, convert_to('{"n":' || g || '}', 'UTF8'), now(), ?
                FROM generate_series(?, ?) AS g""")
                .param(RelayedPing.class.getName()).param(owner).param(from).param(to).update();
    }

    private static TransactionTemplate transactions(ConfigurableApplicationContext app) {
        return new TransactionTemplate(new JdbcTransactionManager(app.getBean(DataSource.class)));
    }

    private static int sendAttempts(JdbcClient jdbc) {
        return jdbc.sql("SELECT coalesce(max(send_attempts), 0) FROM critter.critter_outgoing_envelopes")
                .query(Integer.class).single();
    }

    private static <K> int times(Map<K, AtomicInteger> counts, K key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }

    public static class ParcelHandler {

        public void handle(Parcel parcel) {
            PARCELS.computeIfAbsent(parcel.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    public static class RelayedPingHandler {

        public void handle(RelayedPing ping) {
            PINGS.computeIfAbsent(ping.n(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Courier {

        @Bean
        CourierTransport courierTransport() {
            return new CourierTransport();
        }
    }

    /** Carries parcels; while {@code down}, it refuses them, as a broker that is down does. */
    static final class CourierTransport implements Transport {

        private final Destination destination = new Destination("testcourier", "parcels");
        volatile boolean down;
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        public String scheme() {
            return destination.scheme();
        }

        @Override
        public List<? extends Endpoint> endpoints(TransportConfiguration configuration, EnvelopeReceiver receiver) {
            Endpoint endpoint = new Endpoint() {
                @Override
                public Destination destination() {
                    return destination;
                }

                @Override
                public void send(Envelope envelope, boolean fromHandler) {
                    if (down) {
                        refusals.incrementAndGet();
                        throw new IllegalStateException("the courier behind " + destination + " is down");
                    }
                    receiver.receive(envelope, this);
                }
            };
            return List.of(endpoint);
        }

        @Override
        public Optional<Destination> conventionalDestination(Class<?> handledType) {
            return handledType == Parcel.class ? Optional.of(destination) : Optional.empty();
        }

        @Override
        public void start() {
        }

        @Override
        public void stop(Duration timeout, Function<Envelope, String> handlerOf) {
        }
    }
}
