package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.deadletter.DeadLetterStore;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.durability.jdbc.JdbcDeadLetterStore;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.time.TimeSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Dead letters in PostgreSQL: with durability on, {@link JdbcDeadLetterStore} is the
 * {@link DeadLetterStore} (and so the {@code DeadLetters} bean), and the in-memory store of
 * {@code CritterAutoConfiguration} backs off. An application's own {@link DeadLetterStore} wins.
 */
@Configuration(proxyBeanMethods = false)
class DurableDeadLettersConfiguration {

    @Bean
    @ConditionalOnMissingBean(DeadLetterStore.class)
    JdbcDeadLetterStore critterJdbcDeadLetterStore(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns,
                                                   BackgroundWork work, DurabilitySettings settings,
                                                   ObjectProvider<TimeSource> time) {
        // CritterAutoConfiguration's time source (the application's Clock), which stamps failed_at.
        return new JdbcDeadLetterStore(dataSource, schema, columns, work, settings, time.getIfUnique(TimeSource::system));
    }
}
