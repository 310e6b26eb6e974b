package dev.critter.autoconfigure.durability;

import java.util.List;
import java.util.Set;

import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.autoconfigure.durability.DurableNodesConfigurationTests.UnreachableDatabase;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.transport.Destination;
import dev.critter.transport.Outbox;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox bean: there with durability, gone without it, and an application's own {@link Outbox} wins. */
class DurableOutboxConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterDurabilityAutoConfiguration.class,
                    CritterAutoConfiguration.class))
            .withUserConfiguration(UnreachableDatabase.class)
            .withPropertyValues("critter.handlers.base-packages=dev.critter.support.nohandlers",
                    "critter.shutdown-timeout=5s");

    @Test
    void withDurabilityMessagesOfATransactionGoThroughTheJdbcOutbox() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Outbox.class);
            assertThat(context.getBean(Outbox.class)).isInstanceOf(JdbcOutbox.class);
            assertThat(context.getBean(JdbcOutbox.class).isRunning()).isTrue();
        });
    }

    @Test
    void withoutDurabilityThereIsNone() {
        runner.withPropertyValues("critter.durability.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Outbox.class));
    }

    @Test
    void theApplicationsOwnOutboxWins() {
        runner.withUserConfiguration(OwnOutbox.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Outbox.class).doesNotHaveBean(JdbcOutbox.class);
            assertThat(context.getBean(Outbox.class)).isInstanceOf(RecordingOutbox.class);
            assertThat(((RecordingOutbox) context.getBean(Outbox.class)).relaying)
                    .as("the runtime started the application's outbox relay").isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnOutbox {

        @Bean
        RecordingOutbox myOutbox() {
            return new RecordingOutbox();
        }
    }

    static final class RecordingOutbox implements Outbox {

        volatile boolean relaying;

        @Override
        public boolean storeInTransaction(List<Outgoing> outgoing) {
            return false;
        }

        @Override
        public void accepted(List<Outgoing> outgoing) {
        }

        @Override
        public void leftBehind(Outgoing outgoing, RuntimeException reason) {
        }

        @Override
        public void discarded(List<Outgoing> outgoing) {
        }

        @Override
        public void relayTo(Set<Destination> destinations, Sender sender) {
            relaying = true;
        }

        @Override
        public void stopRelay() {
            relaying = false;
        }
    }
}
