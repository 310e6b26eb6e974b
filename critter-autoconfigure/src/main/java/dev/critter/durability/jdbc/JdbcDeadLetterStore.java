package dev.critter.durability.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.critter.DeadLetter;
import dev.critter.DeadLetterPage;
import dev.critter.DeadLetterQuery;
import dev.critter.deadletter.DeadLetterStore;
import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;
import dev.critter.serialization.RawMessage;
import dev.critter.time.TimeSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dead letters in PostgreSQL ({@code critter_dead_letters}): they survive restarts, every
 * node of a service sees the same ones, and they are kept for
 * {@code critter.durability.dead-letter-retention}, after which a background agent deletes them
 * in batches.
 * <ul>
 *   <li>{@link #add} inserts one row in a transaction of its own, on the caller's thread, and returns
 *       once it committed: the runtime reports a message finished (and a durable queue forgets it)
 *       only after its dead letter is safe. Not through a group-commit batcher: callers include
 *       background agents, whose bounded threads would then wait for one another.</li>
 *   <li>{@link #query} filters and pages in SQL (keyset on {@code (failed_at, id)});
 *       {@link #list()} returns at most the oldest {@value DeadLetterQuery#MAX_LIMIT}.</li>
 *   <li>{@link #replay} deletes the row and hands the message to the runtime's replayer in one
 *       transaction: a second replay finds no row, a failed one rolls back and keeps the row.</li>
 *   <li>{@link #count()} answers from a figure the agent recounts at every run, adjusted at once for
 *       this node's own changes: never a {@code count(*)} per gauge scrape.</li>
 * </ul>
 */
public final class JdbcDeadLetterStore implements DeadLetterStore {

    private static final Log logger = LogFactory.getLog(JdbcDeadLetterStore.class);

    private static final long NOT_COUNTED = -1;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final DeadLetterRows rows;
    private final RowMapper<DeadLetter> mapper;
    private final String table;
    private final String findById;
    private final String deleteReturning;
    private final String deleteById;
    private final String countAll;
    private final DeadLetterRetention retention;
    private final DurabilitySettings settings;
    private final AtomicLong stored = new AtomicLong(NOT_COUNTED);
    private final AtomicBoolean warnedListBound = new AtomicBoolean();
    private final BackgroundWork.Agent agent;
    private volatile Consumer<DeadLetter> replayer = letter -> {
        throw new IllegalStateException("Critter is not running; cannot replay dead letter " + letter.id());
    };

    /**
     * Creates the store and starts its clean-up agent, which runs once at once.
     * @param dataSource the application's PostgreSQL data source
     * @param schema Critter's schema, ready
     * @param columns reads and writes the envelope columns
     * @param work the background threads the clean-up runs on
     * @param settings the retention, the batch size and the poll interval
     * @param time the runtime's clock, which stamps {@code failed_at} and so also measures the retention
     */
    public JdbcDeadLetterStore(DataSource dataSource, JdbcSchema schema, EnvelopeColumns columns, BackgroundWork work,
                               DurabilitySettings settings, TimeSource time) {
        this.jdbc = new JdbcTemplate(dataSource);
        // Its own transactions, never the caller's: a dead letter must not vanish with a rollback
        // of whatever transaction the failing code ran in.
        this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.table = schema.table("critter_dead_letters");
        this.rows = new DeadLetterRows(columns, table);
        this.mapper = (row, number) -> rows.read(row);
        this.findById = "SELECT " + DeadLetterRows.SELECTED + "\nFROM " + table + " d\nWHERE d.id = ?";
        this.deleteReturning = "DELETE FROM " + table + " d\nWHERE d.id = ?\nRETURNING " + DeadLetterRows.SELECTED;
        this.deleteById = "DELETE FROM " + table + " WHERE id = ?";
        this.countAll = "SELECT count(*) FROM " + table;
        this.settings = settings;
        this.retention = new DeadLetterRetention(jdbc, ownTransaction, table, settings.deadLetterRetention(),
                settings.batchSize(), time);
        this.agent = work.every("dead-letter retention",
                DeadLetterRetention.interval(settings.deadLetterRetention(), settings.pollInterval()), this::cleanUp);
        agent.wake();
    }

    /**
     * Stores a dead letter: one row, committed before this returns.
     * @param deadLetter a message that exhausted its error policy
     */
    @Override
    public void add(DeadLetter deadLetter) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(rows.insert(), ps -> rows.bind(ps, deadLetter)));
        stored.getAndUpdate(n -> n == NOT_COUNTED ? n : n + 1);
    }

    /**
     * Sets how dead letters are replayed: the runtime's replayer, which sends to the original
     * destination and chain through the normal pipeline.
     * @param replayer sends a dead letter's message back to where it failed
     */
    @Override
    public void replayWith(Consumer<DeadLetter> replayer) {
        this.replayer = Objects.requireNonNull(replayer, "replayer");
    }

    /**
     * Returns the oldest {@value DeadLetterQuery#MAX_LIMIT} dead letters, oldest first; when
     * there are more, logs a warning (once) pointing at {@link #query}.
     * @return at most the oldest {@value DeadLetterQuery#MAX_LIMIT} dead letters
     */
    @Override
    public List<DeadLetter> list() {
        return bounded(DeadLetterQuery.all());
    }

    /**
     * Returns the oldest {@value DeadLetterQuery#MAX_LIMIT} dead letters of one message type.
     * @param messageType a message type name (class name or alias)
     * @return at most the oldest {@value DeadLetterQuery#MAX_LIMIT} of them, oldest first
     */
    @Override
    public List<DeadLetter> list(String messageType) {
        return bounded(DeadLetterQuery.all().messageType(messageType));
    }

    private List<DeadLetter> bounded(DeadLetterQuery query) {
        DeadLetterPage page = query(query.limit(DeadLetterQuery.MAX_LIMIT));
        if (page.next() != null) {
            String message = "DeadLetters.list() returned only the oldest " + DeadLetterQuery.MAX_LIMIT
                    + " dead letters" + (query.messageType() != null ? " of " + query.messageType() : "")
                    + " of the more stored; page through them with DeadLetters.query(DeadLetterQuery)";
            if (warnedListBound.compareAndSet(false, true)) {
                logger.warn(message + " (logged once; later at DEBUG)");
            } else if (logger.isDebugEnabled()) {
                logger.debug(message);
            }
        }
        return page.deadLetters();
    }

    /**
     * Lists one page in SQL: the filters in the {@code WHERE} clause, keyset-paged on {@code (failed_at, id)}.
     * @param query the filters, the position to start after and the page size
     * @return the page, with the query for the next one when there are more
     */
    @Override
    public DeadLetterPage query(DeadLetterQuery query) {
        DeadLetterFilters select = DeadLetterFilters.select(table, query);
        return DeadLetterPage.of(query, jdbc.query(select.sql(), mapper, select.parameters().toArray()));
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        return jdbc.query(findById, mapper, id).stream().findFirst();
    }

    /**
     * Deletes the row and hands its message to the replayer in one transaction. A concurrent
     * second replay waits for the row lock and then finds the row gone; a failing replayer rolls
     * back, so the row stays and the error reaches the caller.
     * @param id a dead letter id
     * @return whether it was found and replayed
     * @throws IllegalStateException when its message type is still unknown or its body still unreadable
     * @throws RuntimeException the replayer's failure (the destination no longer exists, say)
     */
    @Override
    public boolean replay(UUID id) {
        Boolean replayed = ownTransaction.execute(status -> {
            List<DeadLetter> deleted = jdbc.query(deleteReturning, mapper, id);
            if (deleted.isEmpty()) {
                return false;
            }
            DeadLetter letter = deleted.get(0);
            if (letter.envelope().message() instanceof RawMessage raw) {
                String why = raw.problem() != null ? raw.problem().getMessage() : "its body does not read";
                throw new IllegalStateException("Dead letter " + id + " cannot be replayed: " + why
                        + ". Deploy the message type (or a fix for it) and replay again, or discard it");
            }
            replayer.accept(letter);
            return true;
        });
        boolean found = Boolean.TRUE.equals(replayed);
        if (found) {
            stored.getAndUpdate(n -> n == NOT_COUNTED ? n : Math.max(0, n - 1));
        }
        return found;
    }

    @Override
    public boolean discard(UUID id) {
        Integer deleted = ownTransaction.execute(status -> jdbc.update(deleteById, id));
        boolean found = deleted != null && deleted > 0;
        if (found) {
            stored.getAndUpdate(n -> n == NOT_COUNTED ? n : Math.max(0, n - 1));
        }
        return found;
    }

    /**
     * Returns how many dead letters are stored, from the figure the clean-up agent recounts at each run
     * (every minute at most) and this node's changes adjust at once; counts only the first time.
     * @return how many dead letters are stored
     */
    @Override
    public long count() {
        long known = stored.get();
        return known != NOT_COUNTED ? known : recount();
    }

    /**
     * Returns 0: a durable store never evicts (it deletes by retention).
     * @return 0
     */
    @Override
    public long evicted() {
        return 0;
    }

    private void cleanUp() {
        DeadLetterRetention.Outcome outcome = retention.run();
        if (outcome.deleted() > 0) {
            logger.info("Critter durability: deleted " + outcome.deleted() + " dead letters older than "
                    + settings.deadLetterRetention() + " (critter.durability.dead-letter-retention)");
        }
        recount();
        if (outcome.more()) {
            agent.wake();
        }
    }

    private long recount() {
        Long counted = jdbc.queryForObject(countAll, Long.class);
        long value = counted == null ? 0 : counted;
        stored.set(value);
        return value;
    }

    @Override
    public String toString() {
        return "JdbcDeadLetterStore[" + table + "]";
    }
}
