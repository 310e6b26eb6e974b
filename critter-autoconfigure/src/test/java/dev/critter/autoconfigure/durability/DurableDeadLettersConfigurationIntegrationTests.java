package dev.critter.autoconfigure.durability;

import dev.critter.DeadLetters;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.deadletter.InMemoryDeadLetters;
import dev.critter.durability.jdbc.JdbcDeadLetterStore;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Which dead-letter store an application gets: PostgreSQL with durability, in memory without, its own when it has one. */
class DurableDeadLettersConfigurationIntegrationTests {

    private final TestDatabase database = TestPostgres.newDatabase(DurableDeadLettersConfigurationIntegrationTests.class);

    private final ApplicationContextRunner runner = DurableApps.runner(database);

    @Test
    void withDurabilityTheDeadLettersAreInPostgres() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DeadLetterStore.class)
                    .doesNotHaveBean(InMemoryDeadLetters.class);
            assertThat(context.getBean(DeadLetters.class)).isInstanceOf(JdbcDeadLetterStore.class);
        });
    }

    @Test
    void withDurabilitySwitchedOffTheyStayInMemory() {
        runner.withPropertyValues("critter.durability.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcDeadLetterStore.class);
            assertThat(context.getBean(DeadLetters.class)).isInstanceOf(InMemoryDeadLetters.class);
        });
    }

    @Test
    void anApplicationsOwnStoreWins() {
        InMemoryDeadLetters mine = new InMemoryDeadLetters(5);
        runner.withBean(DeadLetterStore.class, () -> mine).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcDeadLetterStore.class);
            assertThat(context.getBean(DeadLetters.class)).isSameAs(mine);
        });
    }
}
