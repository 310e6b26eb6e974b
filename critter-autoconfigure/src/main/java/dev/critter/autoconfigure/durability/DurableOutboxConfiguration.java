package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilityNode;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.transport.Outbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transactional outbox in PostgreSQL: with durability on, messages published inside a Spring
 * transaction are written to {@code critter_outgoing_envelopes} in it and sent after the commit
 * ({@link JdbcOutbox}); its relay sends what was left behind, woken when a dead node's rows are
 * released. An application's own {@link Outbox} wins.
 */
@Configuration(proxyBeanMethods = false)
class DurableOutboxConfiguration {

    @Bean
    @ConditionalOnMissingBean(Outbox.class)
    JdbcOutbox critterJdbcOutbox(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns,
                                 DurabilityNode node, DurabilitySettings settings, BackgroundWork work,
                                 JdbcNodes nodes) {
        JdbcOutbox outbox = new JdbcOutbox(dataSource, schema, columns, node, settings, work);
        nodes.onRowsReleased(outbox::wakeRelay);
        return outbox;
    }
}
