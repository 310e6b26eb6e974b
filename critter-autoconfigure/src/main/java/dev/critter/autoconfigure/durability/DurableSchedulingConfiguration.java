package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.deadletter.DeadLetterStore;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.durability.jdbc.JdbcBacklog;
import dev.critter.durability.jdbc.JdbcMessageScheduler;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.scheduling.MessageScheduler;
import dev.critter.time.TimeSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scheduled messages in PostgreSQL: with durability on, {@link JdbcMessageScheduler} is the
 * {@link MessageScheduler}, and the in-memory scheduler of {@code CritterAutoConfiguration}
 * backs off. An application's own {@link MessageScheduler} wins.
 */
@Configuration(proxyBeanMethods = false)
class DurableSchedulingConfiguration {

    @Bean
    @ConditionalOnMissingBean(MessageScheduler.class)
    JdbcMessageScheduler critterJdbcMessageScheduler(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns,
                                                     DurabilityNode node, DurabilitySettings settings, BackgroundWork work,
                                                     ObjectProvider<TimeSource> time,
                                                     ObjectProvider<JdbcNodes> nodes, ObjectProvider<JdbcBacklog> backlog,
                                                     ObjectProvider<DeadLetterStore> deadLetters) {
        JdbcBacklog figures = backlog.getIfAvailable();
        JdbcMessageScheduler scheduler = new JdbcMessageScheduler(dataSource, schema, columns, node, settings, work,
                time.getIfUnique(TimeSource::system), () -> figures == null ? null : figures.current());
        // Rows of a dead node are claimable at once: look now rather than at the next poll.
        nodes.ifAvailable(registration -> registration.onRowsReleased(scheduler::wake));
        // Resolved when a row needs it: the store may be created after the scheduler.
        scheduler.deadLettersTo(letter -> {
            DeadLetterStore store = deadLetters.getIfUnique();
            if (store == null) {
                throw new IllegalStateException("no single DeadLetterStore bean");
            }
            store.add(letter);
        });
        return scheduler;
    }
}
