package dev.critter.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.critter.durability.jdbc.JdbcOutbox;
import dev.critter.transport.Outbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.awaitility.Awaitility.await;

/**
 * Counts the rows of Critter's outbox table, {@code critter.critter_outgoing_envelopes}. Counted
 * through the application's {@code DataSource}, a count inside a Spring-managed transaction runs
 * on that transaction's connection, so it sees the transaction's own uncommitted rows.
 */
public final class OutboxRows {

    private final JdbcClient jdbc;

    /**
     * Counts through plain SQL access to Critter's database.
     * @param jdbc access to Critter's database, migrated
     */
    public OutboxRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counts through a data source of Critter's database.
     * @param dataSource Critter's database, migrated
     */
    public OutboxRows(DataSource dataSource) {
        this(JdbcClient.create(dataSource));
    }

    /**
     * Counts all outbox rows.
     * @return how many rows the outbox table holds
     */
    public long count() {
        return jdbc.sql("SELECT count(*) FROM critter.critter_outgoing_envelopes").query(Long.class).single();
    }

    /**
     * Counts the outbox rows of one message type.
     * @param messageType the type whose rows count
     * @return how many rows of that type the outbox table holds
     */
    public long count(Class<?> messageType) {
        return jdbc.sql("SELECT count(*) FROM critter.critter_outgoing_envelopes WHERE message_type = ?")
                .param(messageType.getName()).query(Long.class).single();
    }

    /**
     * Counts, in the current transaction, the outbox rows it sees just before it commits: after
     * Critter's {@code beforeCommit} wrote the transaction's rows, before they are committed.
     * @return the list that receives the count when the transaction completes (empty until then)
     */
    public List<Long> countBeforeCommit() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        countBeforeCommit(seen);
        return seen;
    }

    /**
     * Counts, in the current transaction, the outbox rows it sees just before it commits, into a
     * list of the caller's (one count per transaction that registered it).
     * @param seen receives the count when the transaction completes
     */
    public void countBeforeCommit(List<Long> seen) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCompletion() {
                seen.add(count());
            }
        });
    }

    /**
     * Waits until every committed message left the outbox: no row in the table and none the JDBC
     * outbox still sends.
     * @param outbox the application's outbox, a {@link JdbcOutbox}
     * @param wait how long to wait at the most
     */
    public void awaitEmpty(Outbox outbox, Duration wait) {
        await().atMost(wait).until(() -> count() == 0 && ((JdbcOutbox) outbox).inFlight() == 0);
    }
}
