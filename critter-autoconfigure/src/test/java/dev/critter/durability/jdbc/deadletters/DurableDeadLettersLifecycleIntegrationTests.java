package dev.critter.durability.jdbc.deadletters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.Envelope;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.Ship;
import dev.critter.observability.CritterMetricNames;
import dev.critter.support.DurableRows;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;
import dev.critter.testing.MessageTracking;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.FAILING;
import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.WAIT;
import static dev.critter.durability.jdbc.deadletters.DeadLetterFixtures.shipped;
import static dev.critter.support.DurableRows.Table.DEAD_LETTERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters across application starts on one database: they survive a restart and are
 * replayed by the next process; retention deletes the old ones, at start-up and while running.
 */
class DurableDeadLettersLifecycleIntegrationTests {

    private final TestDatabase database = TestPostgres.newDatabase(DurableDeadLettersLifecycleIntegrationTests.class);
    private final DurableRows rows = new DurableRows(database.dataSource());
    private final JdbcClient jdbc = rows.jdbc();
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @BeforeEach
    void reset() {
        DeadLetterFixtures.reset();
    }

    @AfterEach
    void stop() {
        started.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void deadLettersSurviveARestartAndTheNextProcessReplaysThem() {
        FAILING.add("s-1");
        UUID id;
        try (ConfigurableApplicationContext first = start()) {
            first.getBean(MessageTracking.class).allowingFailures().publishAndWait(new Ship("s-1"));
            id = first.getBean(DeadLetters.class).list().get(0).id();
        }
        FAILING.clear();

        ConfigurableApplicationContext second = start();
        DeadLetters deadLetters = second.getBean(DeadLetters.class);
        assertThat(deadLetters.find(id)).hasValueSatisfying(letter -> {
            assertThat(letter.envelope().message()).isEqualTo(new Ship("s-1"));
            assertThat(letter.exceptionMessage()).isEqualTo("no truck for s-1");
        });
        assertThat(deadLetters.count()).isOne();
        second.getBean(MessageTracking.class).executeAndWait(() -> assertThat(deadLetters.replay(id)).isTrue());

        assertThat(shipped("s-1")).isOne();
        assertThat(deadLetters.count()).isZero();
        assertThat(rows.count(DEAD_LETTERS)).isZero();
    }

    @Test
    void startUpDeletesDeadLettersOlderThanTheRetentionInBatchesAndCountsTheRest() {
        Instant now = Instant.now();
        try (ConfigurableApplicationContext first = start()) {
            DeadLetterStore store = first.getBean(DeadLetterStore.class);
            for (int i = 0; i < 7; i++) {
                store.add(letter("old-" + i, now.minusSeconds(7_200 + i)));
            }
            store.add(letter("young-1", now));
            store.add(letter("young-2", now));
        }

        ConfigurableApplicationContext second = start("critter.durability.dead-letter-retention=1h",
                "critter.durability.batch-size=3");

        await().atMost(WAIT).until(() -> rows.count(DEAD_LETTERS) == 2);
        assertThat(jdbc.sql("SELECT exception_message FROM critter.critter_dead_letters").query(String.class).list())
                .containsExactlyInAnyOrder("young-1", "young-2");
        DeadLetters deadLetters = second.getBean(DeadLetters.class);
        await().atMost(WAIT).until(() -> deadLetters.count() == 2);
        // The gauge reads the backlog figures, measured every node heartbeat.
        await().atMost(WAIT).until(() -> second.getBean(MeterRegistry.class).get(CritterMetricNames.DEAD_LETTERS)
                .gauge().value() == 2.0);
    }

    @Test
    void whileRunningTheAgentDeletesWhatOutlivedATinyRetention() {
        ConfigurableApplicationContext context = start("critter.durability.dead-letter-retention=1s",
                "critter.durability.batch-size=2");
        DeadLetterStore store = context.getBean(DeadLetterStore.class);
        for (int i = 0; i < 5; i++) {
            store.add(letter("old-" + i, Instant.now().minusSeconds(60)));
        }
        // Failed "in a day": younger than any retention for as long as this test runs.
        store.add(letter("future", Instant.now().plusSeconds(86_400)));

        await().atMost(WAIT).until(() -> rows.count(DEAD_LETTERS) == 1);
        assertThat(jdbc.sql("SELECT exception_message FROM critter.critter_dead_letters").query(String.class).single())
                .isEqualTo("future");
        await().atMost(WAIT).until(() -> store.count() == 1);
    }

    private ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of(database.springProperties()));
        all.addAll(DeadLetterFixtures.PROPERTIES);
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeadLetterFixtures.App.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        started.add(context);
        return context;
    }

    private static DeadLetter letter(String text, Instant failedAt) {
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(Ship.class.getName())
                .message(new Ship(text)).sentAt(failedAt).build();
        return new DeadLetter(UUID.randomUUID(), envelope, "local://ship", null, "E", text, "", failedAt);
    }
}
