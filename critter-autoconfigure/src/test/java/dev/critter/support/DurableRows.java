package dev.critter.support;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes rows into Critter's durable tables with plain SQL, as other nodes (alive, dead or
 * gone) would have left them, and reads back who owns what and how many rows a table holds.
 * Ages are relative to the database clock: a positive age is in the past.
 */
public final class DurableRows {

    /** Critter's tables whose rows the tests count. */
    public enum Table {

        /** The inbox, {@code critter_incoming_envelopes}. */
        INCOMING("critter_incoming_envelopes"),

        /** Messages waiting for their time, {@code critter_scheduled_envelopes}. */
        SCHEDULED("critter_scheduled_envelopes"),

        /** Dead letters, {@code critter_dead_letters}. */
        DEAD_LETTERS("critter_dead_letters"),

        /** The outbox, {@code critter_outgoing_envelopes}. */
        OUTGOING("critter_outgoing_envelopes");

        private final String tableName;

        Table(String tableName) {
            this.tableName = tableName;
        }
    }

    private static final String BODY = "{\"orderId\":\"o-1\"}";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final String schema;

    /**
     * Rows in schema {@code critter}.
     * @param dataSource the test database, migrated
     */
    public DurableRows(DataSource dataSource) {
        this(dataSource, "critter");
    }

    /**
     * Rows in the given schema.
     * @param dataSource the test database, migrated
     * @param schema the schema of Critter's tables
     */
    public DurableRows(DataSource dataSource, String schema) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.schema = schema;
    }

    /**
     * Returns plain SQL access to the database.
     * @return plain SQL access to the database
     */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /**
     * Writes rows in one transaction, so other nodes see them all at once.
     * @param writes the writes
     */
    public void inOneTransaction(Runnable writes) {
        transaction.executeWithoutResult(status -> writes.run());
    }

    /**
     * A node row whose last heartbeat was {@code silentFor} ago (negative: in the future, a node that stays live).
     * @param silentFor the age of its heartbeat
     * @return the node's id
     */
    public UUID node(Duration silentFor) {
        UUID id = UUID.randomUUID();
        node(id, silentFor);
        return id;
    }

    /**
     * A node row whose last heartbeat was {@code silentFor} ago (negative: in the future, a node that stays live).
     * @param id the node's id
     * @param silentFor the age of its heartbeat
     */
    public void node(UUID id, Duration silentFor) {
        jdbc.sql("INSERT INTO " + table("critter_nodes") + " (node_id, service_name, host_name, started_at, heartbeat_at) "
                        + "VALUES (?, 'elsewhere', 'host-of-" + id + "', now() - make_interval(secs => ?), "
                        + "now() - make_interval(secs => ?))")
                .param(id).param(seconds(silentFor) + 60).param(seconds(silentFor)).update();
    }

    /**
     * An outbox row.
     * @param owner the node that owns it, or null
     * @param age how long ago it was stored
     */
    public void outgoing(UUID owner, Duration age) {
        jdbc.sql("INSERT INTO " + table("critter_outgoing_envelopes") + " (id, destination, message_type, body, sent_at, "
                        + "owner_node_id, stored_at) VALUES (?, 'local://orders', 'com.acme.PlaceOrder', "
                        + "convert_to(?, 'UTF8'), now(), ?, now() - make_interval(secs => ?))")
                .param(UUID.randomUUID()).param(BODY).param(owner).param(seconds(age)).update();
    }

    /**
     * An inbox row.
     * @param owner the node that owns it, or null
     * @param status {@code queued} or {@code handled}
     * @param slot its ordered-queue slot, or null
     */
    public void incoming(UUID owner, String status, Integer slot) {
        jdbc.sql("INSERT INTO " + table("critter_incoming_envelopes") + " (id, destination, status, owner_node_id, "
                        + "partition_slot, message_type, body, sent_at) VALUES (?, 'local://orders', ?, ?, ?, "
                        + "'com.acme.PlaceOrder', convert_to(?, 'UTF8'), now())")
                .param(UUID.randomUUID()).param(status).param(owner).param(slot).param(BODY).update();
    }

    /**
     * A scheduled row.
     * @param owner the node that claimed it (now), or null while it waits
     * @param dueIn how long until it is due (negative: overdue)
     */
    public void scheduled(UUID owner, Duration dueIn) {
        jdbc.sql("INSERT INTO " + table("critter_scheduled_envelopes") + " (id, destination, due_at, owner_node_id, "
                        + "claimed_at, message_type, body, sent_at) VALUES (?, 'local://orders', "
                        + "now() + make_interval(secs => ?), ?, CASE WHEN ? THEN now() END, 'com.acme.PlaceOrder', "
                        + "convert_to(?, 'UTF8'), now())")
                .param(UUID.randomUUID()).param(seconds(dueIn)).param(owner).param(owner != null).param(BODY).update();
    }

    /**
     * An ordered-queue slot owned by a node.
     * @param owner the node
     * @param slot the slot of queue {@code local://orders}
     */
    public void slot(UUID owner, int slot) {
        jdbc.sql("INSERT INTO " + table("critter_partition_owners") + " (destination, partition_slot, owner_node_id) "
                        + "VALUES ('local://orders', ?, ?)")
                .param(slot).param(owner).update();
    }

    /** A dead letter, failed now. */
    public void deadLetter() {
        jdbc.sql("INSERT INTO " + table("critter_dead_letters") + " (id, message_id, destination, message_type, body, "
                        + "sent_at, exception_type, exception_message, stack_trace, failed_at) VALUES (?, ?, "
                        + "'local://orders', 'com.acme.PlaceOrder', convert_to(?, 'UTF8'), now(), "
                        + "'java.lang.IllegalStateException', 'no stock', 'java.lang.IllegalStateException: no stock', now())")
                .param(UUID.randomUUID()).param(UUID.randomUUID()).param(BODY).update();
    }

    /**
     * Counts the rows a node owns: outbox, queued inbox and scheduled rows, and slots.
     * @param owner the node
     * @return how many
     */
    public long ownedBy(UUID owner) {
        return jdbc.sql("SELECT (SELECT count(*) FROM " + table("critter_outgoing_envelopes") + " WHERE owner_node_id = :o)"
                        + " + (SELECT count(*) FROM " + table("critter_incoming_envelopes")
                        + " WHERE owner_node_id = :o AND status = 'queued')"
                        + " + (SELECT count(*) FROM " + table("critter_scheduled_envelopes") + " WHERE owner_node_id = :o)"
                        + " + (SELECT count(*) FROM " + table("critter_partition_owners") + " WHERE owner_node_id = :o)")
                .param("o", owner).query(Long.class).single();
    }

    /**
     * Counts all rows of a table.
     * @param table the table
     * @return how many rows it holds
     */
    public long count(Table table) {
        return jdbc.sql("SELECT count(*) FROM " + table(table.tableName)).query(Long.class).single();
    }

    /**
     * Counts the rows of a table whose column holds a value.
     * @param table the table
     * @param column the column's name (test code's own, never input: it is put into the SQL as it is)
     * @param value the value the rows hold, not null ({@code = NULL} matches no row)
     * @return how many rows of the table hold it
     */
    public long count(Table table, String column, Object value) {
        return jdbc.sql("SELECT count(*) FROM " + table(table.tableName) + " WHERE " + column + " = ?")
                .param(value).query(Long.class).single();
    }

    /**
     * Tells whether a node has a row.
     * @param node the node
     * @return whether {@code critter_nodes} has it
     */
    public boolean registered(UUID node) {
        return jdbc.sql("SELECT count(*) FROM " + table("critter_nodes") + " WHERE node_id = ?").param(node)
                .query(Long.class).single() > 0;
    }

    private String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
