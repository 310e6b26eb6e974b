package dev.critter.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.critter.Envelope;
import dev.critter.transport.Destination;
import dev.critter.transport.DurableEndpoint;
import dev.critter.transport.Endpoint;
import dev.critter.transport.Outbox;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The in-transaction path of the dispatcher when an {@link Outbox} exists (SPEC §5): when a
 * transaction is about to commit, the messages it holds are routed; each copy for a
 * {@link DurableEndpoint} is stored by that endpoint in the transaction, every other copy (and
 * every copy of a message not due yet) becomes an outbox entry, all of them handed to the outbox
 * in one call, so they commit together with the transaction. Once it committed the copies are
 * sent at once, from memory, and the outbox told which ones their destination holds safely (a
 * broker's publisher confirm: {@link Endpoint#sendConfirmed}); the ones refused or never
 * confirmed stay in the outbox, which sends them later. A rollback stores nothing.
 */
final class TransactionOutbox {

    private static final Log logger = LogFactory.getLog(TransactionOutbox.class);

    private final Dispatcher dispatcher;
    private final Outbox outbox;

    TransactionOutbox(Dispatcher dispatcher, Outbox outbox) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
    }

    /**
     * Stores a committing transaction's messages in it (its {@code beforeCommit}).
     * @param messages the held messages, in publish order
     * @return what to send once it committed, or {@code null} when the transaction does not cover
     *         the outbox's database: nothing was stored, and the messages are sent from memory as
     *         without durability
     * @throws RuntimeException when storing failed: the transaction rolls back
     */
    @Nullable Stored store(List<Held> messages) {
        List<Item> items = new ArrayList<>(messages.size());
        List<Outbox.Outgoing> rows = new ArrayList<>(messages.size());
        List<Item> durable = new ArrayList<>(0);
        for (Held held : messages) {
            Envelope envelope = held.envelope();
            List<Endpoint> routes = dispatcher.routesFor(envelope.message().getClass());
            boolean scheduled = dispatcher.notDueYet(envelope);
            List<Copy> copies = new ArrayList<>(routes.size());
            boolean toDurable = false;
            for (Endpoint endpoint : routes) {
                if (!scheduled && endpoint instanceof DurableEndpoint) {
                    // No outbox hop: the endpoint's own table takes it in this transaction.
                    copies.add(new Copy(endpoint, null));
                    toDurable = true;
                } else {
                    Outbox.Outgoing row = new Outbox.Outgoing(envelope, endpoint.destination());
                    rows.add(row);
                    copies.add(new Copy(endpoint, row));
                }
            }
            Item item = new Item(envelope, held.fromWorker(), scheduled, copies);
            items.add(item);
            if (toDurable) {
                durable.add(item);
            }
        }
        // Asked even without outbox rows: the durable endpoints' copies need the same database.
        if (!outbox.storeInTransaction(rows)) {
            return null;
        }
        for (Item item : durable) {
            for (Copy copy : item.copies()) {
                if (copy.row() == null && copy.endpoint() instanceof DurableEndpoint endpoint) {
                    endpoint.storeInTransaction(item.envelope());
                }
            }
        }
        return new Stored(items, rows);
    }

    /**
     * Tells the observers what the committed transaction published, before any copy is handled:
     * the copies its durable endpoints queue after their own commit callbacks, which run next.
     */
    void announce(Stored stored) {
        if (stored.announced) {
            return;
        }
        stored.announced = true;
        for (Item item : stored.items()) {
            dispatcher.published(item.envelope());
            if (item.copies().isEmpty()) {
                dispatcher.noRoute(item.envelope());
                continue;
            }
            for (Copy copy : item.copies()) {
                if (copy.row() == null) {
                    dispatcher.storedByEndpoint(item.envelope(), copy.endpoint());
                }
            }
        }
    }

    /**
     * Sends the outbox copies of a committed transaction, each on its own: one its destination
     * holds safely (accepted, and confirmed where the destination confirms) leaves the outbox; one
     * refused or never confirmed stays there for the relay, never a dead letter (the relay keeps
     * trying, since its transaction committed). Confirms are awaited through callbacks, never on
     * the committing thread.
     */
    void committed(Stored stored) {
        announce(stored);
        List<Outbox.Outgoing> accepted = new ArrayList<>(stored.rows().size());
        List<Confirming> confirming = new ArrayList<>(0);
        // A destination that refused one copy (full for the whole publish timeout, stopping) is
        // not asked again for the next ones: they wait in the outbox for the relay, rather than
        // the committing thread waiting the publish timeout once per message.
        Map<Destination, RuntimeException> refused = new HashMap<>();
        for (Item item : stored.items()) {
            for (Copy copy : item.copies()) {
                Outbox.Outgoing row = copy.row();
                if (row == null) {
                    continue;
                }
                CompletableFuture<Void> safe;
                RuntimeException earlier = item.scheduled() ? null : refused.get(row.destination());
                if (earlier != null) {
                    leftBehind(row, earlier);
                    continue;
                }
                try {
                    if (item.scheduled()) {
                        dispatcher.schedule(item.envelope(), copy.endpoint().destination());
                        accepted.add(row);
                        continue;
                    }
                    safe = dispatcher.sendConfirmed(item.envelope(), copy.endpoint(), item.fromWorker());
                } catch (RuntimeException ex) {
                    if (!item.scheduled()) {
                        refused.put(row.destination(), ex);
                    }
                    leftBehind(row, ex);
                    continue;
                }
                if (safe.isDone() && !safe.isCompletedExceptionally()) {
                    accepted.add(row);
                } else {
                    confirming.add(new Confirming(row, safe));
                }
            }
        }
        if (!accepted.isEmpty()) {
            outbox.accepted(accepted);
        }
        if (!confirming.isEmpty()) {
            whenConfirmed(confirming);
        }
    }

    /**
     * Once every copy still waiting got its answer, the confirmed ones leave the outbox in one call
     * (one batched delete), the others stay for the relay.
     */
    private void whenConfirmed(List<Confirming> confirming) {
        CompletableFuture<?>[] all = confirming.stream().map(Confirming::safe).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(all).whenComplete((ignored, anyFailure) -> {
            List<Outbox.Outgoing> confirmed = new ArrayList<>(confirming.size());
            for (Confirming each : confirming) {
                RuntimeException failure = failureOf(each.safe());
                if (failure == null) {
                    confirmed.add(each.row());
                } else {
                    leftBehind(each.row(), failure);
                }
            }
            if (!confirmed.isEmpty()) {
                outbox.accepted(confirmed);
            }
        });
    }

    /** Why a completed future failed, or null when it succeeded. */
    private static @Nullable RuntimeException failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        } catch (CompletionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            return cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(String.valueOf(cause.getMessage()), cause);
        } catch (CancellationException ex) {
            return ex;
        }
    }

    private void leftBehind(Outbox.Outgoing row, RuntimeException ex) {
        try {
            outbox.leftBehind(row, ex);
        } finally {
            logger.warn("Could not send " + row.envelope().messageType() + " " + row.envelope().id() + " to "
                    + row.destination() + " after its transaction committed (" + ex.getMessage() + "); it stays "
                    + "in the outbox and the relay sends it later");
        }
    }

    /** The transaction rolled back: its rows went with it. */
    void rolledBack(Stored stored) {
        outbox.discarded(stored.rows());
    }

    /**
     * The transaction manager could not tell whether the transaction committed: what it stored
     * is sent by the relay if it did, and never if it did not.
     */
    void outcomeUnknown(Stored stored) {
        IllegalStateException unknown = new IllegalStateException("the outcome of its transaction is unknown");
        for (Outbox.Outgoing row : stored.rows()) {
            outbox.leftBehind(row, unknown);
        }
    }

    /**
     * A message held for a transaction.
     * @param envelope the message
     * @param fromWorker whether a queue worker's handler published it (its sends never wait on a full queue)
     */
    record Held(Envelope envelope, boolean fromWorker) {
    }

    /** An outbox copy its destination accepted, waiting for the destination to hold it safely. */
    private record Confirming(Outbox.Outgoing row, CompletableFuture<Void> safe) {
    }

    /** One copy of a message: to a durable endpoint, stored by it ({@code row} null), or an outbox entry. */
    private record Copy(Endpoint endpoint, Outbox.@Nullable Outgoing row) {
    }

    private record Item(Envelope envelope, boolean fromWorker, boolean scheduled, List<Copy> copies) {
    }

    /** What a transaction stored in its {@code beforeCommit}, to send once it committed. */
    static final class Stored {

        private final List<Item> items;
        private final List<Outbox.Outgoing> rows;
        /** Only the committing thread reads and writes it. */
        private boolean announced;

        private Stored(List<Item> items, List<Outbox.Outgoing> rows) {
            this.items = items;
            this.rows = rows;
        }

        List<Item> items() {
            return items;
        }

        List<Outbox.Outgoing> rows() {
            return rows;
        }
    }
}
