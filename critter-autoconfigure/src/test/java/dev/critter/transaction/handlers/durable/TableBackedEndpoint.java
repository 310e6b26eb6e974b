package dev.critter.transaction.handlers.durable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.EnvelopeReceiver;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A small {@link DurableEndpoint} for tests: delivers on one thread of its own and keeps its
 * handled marks in a table, written in the caller's transaction (the durable local queue of the
 * inbox does the same with Critter's tables).
 */
final class TableBackedEndpoint implements DurableEndpoint {

    private final Destination destination;
    private final JdbcTemplate jdbc;
    private final EnvelopeReceiver receiver;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-durable-worker"));
    private final List<Envelope> delivered = new CopyOnWriteArrayList<>();
    private final List<String> marks = new CopyOnWriteArrayList<>();

    TableBackedEndpoint(Destination destination, JdbcTemplate jdbc, EnvelopeReceiver receiver) {
        this.destination = destination;
        this.jdbc = jdbc;
        this.receiver = receiver;
    }

    @Override
    public Destination destination() {
        return destination;
    }

    @Override
    public void send(Envelope envelope, boolean fromHandler) {
        delivered.add(envelope);
        deliver(envelope);
    }

    /** Delivers an envelope again, as a durable queue does after a crash before its handled mark was seen. */
    void redeliver(Envelope envelope) {
        deliver(envelope);
    }

    private void deliver(Envelope envelope) {
        worker.execute(() -> receiver.receive(envelope, this));
    }

    @Override
    public void storeInTransaction(Envelope envelope) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                send(envelope, false);
            }
        });
    }

    @Override
    public boolean markHandledInTransaction(Envelope envelope, String chainId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("markHandledInTransaction called without a transaction");
        }
        // Joins the handler's transaction through DataSourceUtils, as every Critter statement does.
        int inserted = jdbc.update("INSERT INTO test_handled (message_id, chain_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                envelope.id(), chainId);
        marks.add(envelope.id() + " in " + TransactionSynchronizationManager.getCurrentTransactionName() + ": "
                + (inserted == 1 ? "marked" : "already handled"));
        return inserted == 1;
    }

    List<Envelope> delivered() {
        return delivered;
    }

    List<String> marks() {
        return marks;
    }

    void stop() {
        worker.shutdownNow();
    }
}
