package dev.critter.durability.jdbc.deadletters;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.critter.DeadLetter;
import dev.critter.DeadLetterPage;
import dev.critter.DeadLetterQuery;
import dev.critter.DeadLetters;
import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.actuate.CritterDeadLettersEndpoint;
import dev.critter.actuate.CritterDeadLettersEndpoint.DeadLetterList;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.InMemoryDeadLetters;
import dev.critter.deadletter.StackTraces;
import dev.critter.durability.jdbc.JdbcDeadLetterStore;
import dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.BadInputTransport;
import dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.Bill;
import dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.Ship;
import dev.critter.serialization.RawMessage;
import dev.critter.serialization.UnreadableMessageException;
import dev.critter.support.TestPostgres;
import dev.critter.testing.MessageTracking;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.FAILING;
import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.WAIT;
import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.audited;
import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters in PostgreSQL, driven as an application does: a Boot application with Critter's
 * auto-configuration, {@link IMessageBus}, the {@link DeadLetters} bean and the
 * {@code critterdeadletters} actuator endpoint, against real PostgreSQL.
 */
@SpringBootTest(classes = DeadLetterFixtures.App.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class JdbcDeadLetterStoreIntegrationTests {

    private static final String SHIP = Ship.class.getName();
    private static final String BILL = Bill.class.getName();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.newDatabase(JdbcDeadLetterStoreIntegrationTests.class).register(registry);
        for (String property : DeadLetterFixtures.PROPERTIES) {
            int equals = property.indexOf('=');
            registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
        }
    }

    @Autowired IMessageBus bus;
    @Autowired MessageTracking tracking;
    @Autowired DeadLetters deadLetters;
    @Autowired DeadLetterStore store;
    @Autowired CritterDeadLettersEndpoint endpoint;
    @Autowired BadInputTransport badInput;
    @Autowired JdbcClient jdbc;

    @BeforeEach
    void emptyTheTable() {
        DeadLetterFixtures.reset();
        jdbc.sql("TRUNCATE critter.critter_dead_letters").update();
    }

    @Test
    void durabilityReplacesTheInMemoryStore() {
        assertThat(deadLetters).isInstanceOf(JdbcDeadLetterStore.class).isSameAs(store);
        assertThat(deadLetters.evicted()).isZero();
    }

    @Test
    void aHandlerThatExhaustsItsPolicyLeavesARowWithEveryColumn() {
        FAILING.add("s-1");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DeliveryOptions options = DeliveryOptions.builder().tenantId("acme").correlationId("order-7")
                .header("origin", "web").deliverWithin(Duration.ofHours(1)).build();

        tracking.allowingFailures().executeAndWait(() -> bus.publish(new Ship("s-1"), options));

        Map<String, Object> row = jdbc.sql("SELECT * FROM critter.critter_dead_letters").query().singleRow();
        DeadLetter letter = deadLetters.list().get(0);
        assertThat(row.get("id")).isEqualTo(letter.id());
        assertThat(row.get("message_id")).isEqualTo(letter.envelope().id());
        assertThat(row.get("destination")).isEqualTo("local://ship");
        assertThat((String) row.get("chain_id")).startsWith(DeadLetterFixtures.ShipHandler.class.getName())
                .isEqualTo(letter.handler());
        assertThat(row.get("message_type")).isEqualTo(SHIP);
        assertThat(new String((byte[]) row.get("body"), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"s-1\"}");
        assertThat(row.get("headers").toString()).contains("\"origin\": \"web\"");
        assertThat(row.get("tenant_id")).isEqualTo("acme");
        assertThat(row.get("correlation_id")).isEqualTo("order-7");
        assertThat(row.get("causation_id")).isNull();
        assertThat(((Timestamp) row.get("sent_at")).toInstant()).isBetween(before, Instant.now());
        assertThat(row.get("scheduled_at")).isNull();
        assertThat(((Timestamp) row.get("deliver_by")).toInstant()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        assertThat(row.get("attempts")).as("first attempt and two retries").isEqualTo(3);
        assertThat(row.get("source")).isEqualTo("dead-letter-tests");
        assertThat(row.get("reply_to")).isNull();
        assertThat(row.get("exception_type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(row.get("exception_message")).isEqualTo("no truck for s-1");
        assertThat((String) row.get("stack_trace")).startsWith("java.lang.IllegalStateException: no truck for s-1")
                .contains("ShipHandler.handle").hasSizeLessThanOrEqualTo(StackTraces.MAX_CHARS);
        assertThat(((Timestamp) row.get("failed_at")).toInstant()).isBetween(before, Instant.now());

        Envelope envelope = letter.envelope();
        assertThat(envelope.message()).isEqualTo(new Ship("s-1"));
        assertThat(envelope.tenantId()).isEqualTo("acme");
        assertThat(envelope.headers()).containsEntry("origin", "web");
        assertThat(envelope.attempts()).isEqualTo(3);
        assertThat(deadLetters.find(letter.id())).get().usingRecursiveComparison().isEqualTo(letter);
        assertThat(audited("s-1")).as("the other chain handled it").isOne();
    }

    @Test
    void filtersAndPagesAreAnsweredInSql() {
        Instant t0 = Instant.parse("2026-01-31T12:00:00Z");
        List<DeadLetter> ships = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // three at each instant: the id orders them
            DeadLetter letter = letter(new Ship("s-" + i), "local://ship", IllegalStateException.class.getName(),
                    t0.plusSeconds(i / 3));
            ships.add(letter);
            store.add(letter);
        }
        store.add(letter(new Bill("b-1"), "local://bill", "com.acme.Gateway$Down", t0.plusSeconds(5)));
        store.add(letter(new Bill("b-2"), "local://other", "com.acme.Gateway$Down", t0.plusSeconds(6)));

        List<DeadLetter> paged = new ArrayList<>();
        DeadLetterQuery query = DeadLetterQuery.all().messageType(SHIP).limit(10);
        List<Integer> sizes = new ArrayList<>();
        while (query != null) {
            DeadLetterPage page = deadLetters.query(query);
            sizes.add(page.deadLetters().size());
            paged.addAll(page.deadLetters());
            query = page.next();
        }
        assertThat(sizes).containsExactly(10, 10, 5);
        assertThat(paged).extracting(DeadLetter::id)
                .containsExactlyElementsOf(ships.stream().sorted(DeadLetterQuery.ORDER).map(DeadLetter::id).toList());
        assertThat(paged).extracting(d -> d.envelope().message()).doesNotHaveDuplicates();

        assertThat(ids(DeadLetterQuery.all().exceptionType("Down"))).hasSize(2);
        assertThat(ids(DeadLetterQuery.all().exceptionType("com.acme.Gateway$Down").destination("local://bill")))
                .hasSize(1);
        assertThat(ids(DeadLetterQuery.all().exceptionType("IllegalStateException"))).hasSize(25);
        assertThat(ids(DeadLetterQuery.all().exceptionType("_llegalStateException"))).as("LIKE wildcards are literal")
                .isEmpty();
        assertThat(ids(DeadLetterQuery.all().since(t0.plusSeconds(6)).until(t0.plusSeconds(8))))
                .as("failed at seconds 6 and 7: six ships and b-2").hasSize(7);
        assertThat(deadLetters.list(BILL)).extracting(d -> d.envelope().message())
                .containsExactly(new Bill("b-1"), new Bill("b-2"));

        // The actuator endpoint pages the same way, through the same query.
        DeadLetterList first = endpoint.list(SHIP, "IllegalStateException", "local://ship", t0.toString(), null, null, 20);
        assertThat(first.deadLetters()).hasSize(20);
        DeadLetterList second = endpoint.list(SHIP, "IllegalStateException", "local://ship", t0.toString(), null,
                first.next(), 20);
        assertThat(second.deadLetters()).hasSize(5);
        assertThat(second.next()).isNull();
        assertThat(endpoint.list(null, "Down", null, null, null, null, null).deadLetters())
                .extracting(CritterDeadLettersEndpoint.DeadLetterSummary::message)
                .containsExactly(new Bill("b-1").toString(), new Bill("b-2").toString());
    }

    @Test
    void listReturnsTheOldestThousandAndWarnsThatThereAreMore(CapturedOutput output) {
        DeadLetter template = letter(new Ship("many"), "local://ship", "E", Instant.parse("2026-01-31T12:00:00Z"));
        store.add(template);
        jdbc.sql("""
                INSERT INTO critter.critter_dead_letters (id, message_id, destination, chain_id, message_type, body,
                    sent_at, attempts, exception_type, exception_message, stack_trace, failed_at)
                SELECT gen_random_uuid(), message_id, destination, chain_id, message_type, body, sent_at, attempts,
                    exception_type, exception_message, stack_trace, failed_at + n * interval '1 second'
                FROM critter.critter_dead_letters, generate_series(1, 1004) AS n""").update();

        List<DeadLetter> listed = deadLetters.list();

        assertThat(listed).hasSize(DeadLetterQuery.MAX_LIMIT);
        assertThat(listed.get(0).id()).isEqualTo(template.id());
        assertThat(listed).isSortedAccordingTo(DeadLetterQuery.ORDER);
        assertThat(output).contains("DeadLetters.list() returned only the oldest 1000 dead letters of the more stored; "
                + "page through them with DeadLetters.query(DeadLetterQuery)");
    }

    @Test
    void aReplayGoesBackToTheChainThatFailedThroughThePipelineAndRemovesTheRow() {
        FAILING.add("s-2");
        tracking.allowingFailures().publishAndWait(new Ship("s-2"));
        DeadLetter letter = deadLetters.list().get(0);
        assertThat(audited("s-2")).isOne();
        FAILING.remove("s-2");

        tracking.executeAndWait(() -> assertThat(deadLetters.replay(letter.id())).isTrue());

        assertThat(shipped("s-2")).isOne();
        assertThat(audited("s-2")).as("the chain that had succeeded does not run again").isOne();
        assertThat(deadLetters.find(letter.id())).isEmpty();
        assertThat(rows()).isZero();
        assertThat(deadLetters.replay(letter.id())).as("a second click finds nothing").isFalse();
    }

    @Test
    void concurrentReplaysOfOneDeadLetterRunItOnce() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FAILING.add("c-" + i);
            tracking.allowingFailures().publishAndWait(new Ship("c-" + i));
        }
        deadLetters.list().forEach(d -> ids.add(d.id()));
        assertThat(ids).hasSize(10);
        FAILING.clear();

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            tracking.executeAndWait(() -> {
                for (UUID id : ids) {
                    CountDownLatch start = new CountDownLatch(1);
                    Future<Boolean> one = threads.submit(() -> start.await(30, TimeUnit.SECONDS) && deadLetters.replay(id));
                    Future<Boolean> other = threads.submit(() -> start.await(30, TimeUnit.SECONDS) && endpoint.replay(id).outcome().equals("replayed"));
                    start.countDown();
                    assertThat(List.of(get(one), get(other))).as("replays of " + id).containsExactlyInAnyOrder(true, false);
                }
            });
        } finally {
            threads.shutdownNow();
        }

        // The winning replay's delivery can still be on its way when the tracked session settles
        // (the replays ran on other threads): wait for every one, then count.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> java.util.stream.IntStream.range(0, 10).allMatch(i -> shipped("c-" + i) >= 1));
        for (int i = 0; i < 10; i++) {
            assertThat(shipped("c-" + i)).as("c-" + i + " handled once").isOne();
        }
        assertThat(rows()).isZero();
    }

    @Test
    void aReplayThatCannotBeSentKeepsTheRowAndSaysWhy() {
        DeadLetter letter = letter(new Ship("s-3"), "local://closed-long-ago", "E", Instant.now());
        store.add(letter);

        assertThatIllegalStateException().isThrownBy(() -> deadLetters.replay(letter.id()))
                .withMessageContaining("came from local://closed-long-ago, which no longer exists");
        CritterDeadLettersEndpoint.Result result = endpoint.replay(letter.id());

        assertThat(result.outcome()).isEqualTo("failed");
        assertThat(result.error()).contains("no longer exists");
        assertThat(deadLetters.find(letter.id())).as("rolled back: still there").isPresent();
    }

    @Test
    void discardDeletesTheRow() {
        tracking.allowingFailures().publishAndWait(new Bill("b-3"));
        DeadLetter letter = deadLetters.list(BILL).get(0);

        assertThat(endpoint.discard(letter.id()).outcome()).isEqualTo("discarded");

        assertThat(rows()).isZero();
        assertThat(deadLetters.discard(letter.id())).isFalse();
        assertThat(endpoint.deadLetter(letter.id())).isNull();
    }

    @Test
    void aRawMessageKeepsItsExactBytes() {
        byte[] bytes = {'{', '"', 'x', (byte) 0xff, 0, (byte) 0xc3, '}'};
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType("com.acme.Mystery")
                .message(new RawMessage("com.acme.Mystery", bytes)).sentAt(Instant.now()).build();
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, "test://inbox", null, "unreadable-body",
                "not JSON\0 at all", "", Instant.now());

        store.add(letter);

        DeadLetter read = deadLetters.find(letter.id()).orElseThrow();
        assertThat(read.envelope().message()).isInstanceOfSatisfying(RawMessage.class, raw -> {
            assertThat(raw.body()).isEqualTo(bytes);
            assertThat(raw.messageType()).isEqualTo("com.acme.Mystery");
            assertThat(raw.problem().reason()).isEqualTo(UnreadableMessageException.Reason.UNKNOWN_MESSAGE_TYPE);
        });
        assertThat(read.exceptionMessage()).as("NUL, which text columns refuse, replaced").isEqualTo("not JSON\uFFFD at all");
        assertThat(jdbc.sql("SELECT body FROM critter.critter_dead_letters").query(byte[].class).single()).isEqualTo(bytes);
    }

    @Test
    void anEnvelopeWithNulInItsHeadersOrTextFieldsIsStillKept() {
        // Bad input can bring NUL into any text of an envelope; jsonb and text columns refuse it,
        // and a refused insert would lose the message, whose dead letter is the last place it is kept.
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType("com.acme.Mystery")
                .message(new RawMessage("com.acme.Mystery", new byte[] {'x'})).sentAt(Instant.now())
                .header("origin", "we\0b").tenantId("ac\0me").correlationId("order\0-7").build();
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, "test://inbox", null, "unreadable-body",
                "bad", "", Instant.now());

        store.add(letter);

        DeadLetter read = deadLetters.find(letter.id()).orElseThrow();
        assertThat(read.envelope().headers()).containsEntry("origin", "we\uFFFDb");
        assertThat(read.envelope().tenantId()).isEqualTo("ac\uFFFDme");
        assertThat(read.envelope().correlationId()).isEqualTo("order\uFFFD-7");
    }

    @Test
    void aRowWhoseTypeIsNoLongerKnownReadsAsARawMessageAndIsNotReplayed() {
        FAILING.add("s-4");
        tracking.allowingFailures().publishAndWait(new Ship("s-4"));
        UUID id = deadLetters.list().get(0).id();
        jdbc.sql("UPDATE critter.critter_dead_letters SET message_type = 'com.acme.RetiredShip'").update();

        DeadLetter read = deadLetters.find(id).orElseThrow();

        assertThat(read.envelope().message()).isInstanceOfSatisfying(RawMessage.class, raw ->
                assertThat(raw.text()).isEqualTo("{\"id\":\"s-4\"}"));
        assertThatIllegalStateException().isThrownBy(() -> deadLetters.replay(id))
                .withMessageContaining("cannot be replayed: No handler or publishing rule in this application knows "
                        + "the message type 'com.acme.RetiredShip'");
        assertThat(deadLetters.find(id)).isPresent();
        assertThat(endpoint.deadLetter(id).rawBody()).isEqualTo("{\"id\":\"s-4\"}");
    }

    @Test
    void badInputThatReachesThePipelineIsDeadLetteredWithItsReasonCode() {
        byte[] unknown = "{\"sku\":\"A-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "{\"id\": ".getBytes(StandardCharsets.UTF_8);
        // As a durable queue hands over a row it could not read: the reason travels with the bytes.
        UnreadableMessageException notJson = new UnreadableMessageException(
                UnreadableMessageException.Reason.UNREADABLE_BODY, SHIP, "The body of a Ship does not read",
                new IllegalArgumentException("Unexpected end-of-input"));
        tracking.allowingFailures().executeAndWait(() -> {
            badInput.deliver(raw("com.acme.Unknown", new RawMessage("com.acme.Unknown", unknown)));
            badInput.deliver(raw(SHIP, new RawMessage(SHIP, garbage, notJson)));
            badInput.deliver(raw("", new RawMessage("", unknown)));
        });

        assertThat(deadLetters.list()).extracting(DeadLetter::exceptionType)
                .containsExactlyInAnyOrder("unknown-message-type", "unreadable-body", "missing-message-type");
        DeadLetter notJsonLetter = deadLetters.query(DeadLetterQuery.all().exceptionType("unreadable-body"))
                .deadLetters().get(0);
        assertThat(notJsonLetter.destination()).isEqualTo("test://inbox");
        assertThat(notJsonLetter.handler()).isNull();
        assertThat(notJsonLetter.exceptionMessage()).isEqualTo("The body of a Ship does not read");
        assertThat(notJsonLetter.stackTrace()).contains("Unexpected end-of-input");
        assertThat(((RawMessage) notJsonLetter.envelope().message()).body()).isEqualTo(garbage);
        DeadLetter unknownLetter = deadLetters.query(DeadLetterQuery.all().exceptionType("unknown-message-type"))
                .deadLetters().get(0);
        assertThat(unknownLetter.exceptionMessage())
                .isEqualTo("No handler or publishing rule in this application knows the message type 'com.acme.Unknown'");
        assertThat(endpoint.list(null, "unknown-message-type", null, null, null, null, null).deadLetters()).hasSize(1);
        assertThat(DeadLetterFixtures.SHIPPED).as("no handler ran").isEmpty();
    }

    @Test
    void theInMemoryStoreIsNotCreated(@Autowired org.springframework.context.ApplicationContext context) {
        assertThat(context.getBeansOfType(InMemoryDeadLetters.class)).isEmpty();
        assertThat(context.getBeansOfType(DeadLetterStore.class)).hasSize(1);
    }

    private static Envelope raw(String type, RawMessage message) {
        return Envelope.builder().id(UUID.randomUUID()).messageType(type).message(message).sentAt(Instant.now()).build();
    }

    private static DeadLetter letter(Object message, String destination, String exceptionType, Instant failedAt) {
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(message.getClass().getName())
                .message(message).sentAt(failedAt.minusSeconds(1)).build();
        return new DeadLetter(UUID.randomUUID(), envelope, destination, null, exceptionType, "failed", "trace", failedAt);
    }

    private List<UUID> ids(DeadLetterQuery query) {
        return deadLetters.query(query).deadLetters().stream().map(DeadLetter::id).toList();
    }

    private int rows() {
        return jdbc.sql("SELECT count(*) FROM critter.critter_dead_letters").query(Integer.class).single();
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
