package dev.critter.autoconfigure.durability;

import javax.sql.DataSource;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.durability.jdbc.EnvelopeColumns;
import dev.critter.durability.jdbc.JdbcInbox;
import dev.critter.durability.jdbc.JdbcNodes;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.transport.Inbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inbox in PostgreSQL: durable local queues ({@code critter.local.queues.<name>.durable},
 * {@code o.policies().useDurableLocalQueues()}) keep their messages in it, and handled ids are
 * kept for {@code critter.durability.handled-retention} (idempotent receive).
 */
@Configuration(proxyBeanMethods = false)
class DurableInboxConfiguration {

    @Bean
    @ConditionalOnMissingBean(Inbox.class)
    JdbcInbox critterJdbcInbox(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, JdbcNodes nodes,
                               DurabilitySettings settings, BackgroundWork work) {
        return new JdbcInbox(dataSource, schema, columns, nodes, settings, work);
    }
}
