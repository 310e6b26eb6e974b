package dev.critter.benchmarks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.critter.benchmarks.noop.HandledCount;
import tools.jackson.databind.json.JsonMapper;

/**
 * The baseline: a plain JDBC outbox, written as a careful team would without a framework. Each
 * transaction inserts its messages with one multi-row {@code INSERT} into a table shaped like
 * Critter's ({@code CREATE TABLE ... (LIKE critter_outgoing_envelopes INCLUDING ALL)}), bodies
 * written by Jackson, and commits; then it hands the messages to an in-memory bounded queue read
 * by two handler threads (the no-op handler), and one thread deletes handled rows in batches of up
 * to 500 with the statement Critter uses ({@code DELETE ... USING unnest(?::uuid[], ?::text[])} on the
 * whole primary key: {@code WHERE id = ANY (?)} gets a generic plan that scans the table once the
 * driver prepares it on the server, which made this baseline ten times slower). No relay, no
 * routing, no observers.
 */
final class RawJdbcOutbox implements OutboxSubject {

    private static final String TABLE = "bench_raw.outbox";

    private static final String DESTINATION = "local://outbox-ping";

    private final HikariDataSource dataSource;
    private final JsonMapper json = JsonMapper.builder().build();
    private final BlockingQueue<Item> handling = new ArrayBlockingQueue<>(10_000);
    private final BlockingQueue<UUID> deleting = new ArrayBlockingQueue<>(100_000);
    private final HandledCount handled = new HandledCount();
    private final AtomicLong deleted = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final UUID node = UUID.randomUUID();
    private volatile long expectedDeleted;
    private volatile boolean running = true;

    private record Item(UUID id, OutboxPing ping) {
    }

    RawJdbcOutbox(String url, int publishers) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(publishers + 4);
        this.dataSource = new HikariDataSource(config);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_raw");
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (LIKE " + CritterOutbox.SCHEMA
                    + ".critter_outgoing_envelopes INCLUDING ALL)");
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        for (int i = 0; i < 2; i++) {
            threads.add(start("raw-handler-" + i, this::handle));
        }
        threads.add(start("raw-deleter", this::delete));
    }

    private Thread start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public String name() {
        return "raw-jdbc";
    }

    @Override
    public void expect(int messages) {
        handled.expect(messages);
        expectedDeleted = deleted.get() + messages;
    }

    @Override
    public void publishInTransaction(int first, int count) {
        List<Item> items = new ArrayList<>(count);
        StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE
                + " (id, destination, message_type, body, sent_at, owner_node_id) VALUES ");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                int p = 1;
                Timestamp now = new Timestamp(System.currentTimeMillis());
                for (int i = 0; i < count; i++) {
                    OutboxPing ping = new OutboxPing(first + i);
                    UUID id = new UUID(System.nanoTime(), ThreadLocalRandom.current().nextLong());
                    items.add(new Item(id, ping));
                    insert.setObject(p++, id);
                    insert.setString(p++, DESTINATION);
                    insert.setString(p++, OutboxPing.class.getName());
                    insert.setBytes(p++, json.writeValueAsBytes(ping));
                    insert.setTimestamp(p++, now);
                    insert.setObject(p++, node);
                }
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        try {
            for (Item item : items) {
                handling.put(item);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void handle() {
        try {
            while (running) {
                Item item = handling.take();
                handled.countOne();
                deleting.put(item.id());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void delete() {
        List<UUID> batch = new ArrayList<>(500);
        try {
            while (running) {
                UUID first = deleting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                deleting.drainTo(batch, 499);
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
                             + " o USING unnest(?::uuid[], ?::text[]) AS d (id, destination)"
                             + " WHERE o.id = d.id AND o.destination = d.destination")) {
                    String[] destinations = new String[batch.size()];
                    java.util.Arrays.fill(destinations, DESTINATION);
                    delete.setArray(1, connection.createArrayOf("uuid", batch.toArray()));
                    delete.setArray(2, connection.createArrayOf("text", destinations));
                    delete.executeUpdate();
                } catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
                deleted.addAndGet(batch.size());
                batch.clear();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void awaitHandledAndEmpty(Duration timeout) throws InterruptedException {
        handled.await(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deleted.get() < expectedDeleted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Raw outbox rows not deleted after " + timeout);
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        dataSource.close();
    }
}
