package dev.critter.durability.jdbc;

import java.time.Duration;

import dev.critter.durability.BackgroundWork;
import dev.critter.durability.DurabilitySettings;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes handled ids older than {@code critter.durability.handled-retention}, oldest first, one
 * batch per statement and commit. The mark of a message whose inbox row still exists is kept
 * however old, so a transactional handler's mark outlives a row that waited longer than the window.
 */
final class HandledRetention {

    private static final Log logger = LogFactory.getLog(HandledRetention.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DurabilitySettings settings;
    private final String delete;

    HandledRetention(JdbcTemplate jdbc, TransactionTemplate transaction, JdbcSchema schema, DurabilitySettings settings,
                     BackgroundWork work) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.settings = settings;
        String handled = schema.table("critter_handled_messages");
        String incoming = schema.table("critter_incoming_envelopes");
        this.delete = """
                DELETE FROM %s WHERE (message_id, destination) IN (
                    SELECT h.message_id, h.destination FROM %s h
                    WHERE h.handled_at < now() - make_interval(secs => ?)
                    AND NOT EXISTS (SELECT 1 FROM %s i WHERE i.id = h.message_id)
                    ORDER BY h.handled_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)""".formatted(handled, handled, incoming);
        work.every("handled-id retention", interval(settings), this::cleanUp).wake();
    }

    /** A tenth of the window, at most a minute, at least the poll interval. */
    static Duration interval(DurabilitySettings settings) {
        Duration tenth = settings.handledRetention().dividedBy(10);
        Duration capped = tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
        return capped.compareTo(settings.pollInterval()) < 0 ? settings.pollInterval() : capped;
    }

    void cleanUp() {
        long total = 0;
        while (true) {
            Integer deleted = transaction.execute(status -> jdbc.update(delete,
                    settings.handledRetention().toNanos() / 1e9, settings.batchSize()));
            int n = deleted == null ? 0 : deleted;
            total += n;
            if (n < settings.batchSize()) {
                break;
            }
        }
        if (total > 0 && logger.isDebugEnabled()) {
            logger.debug("Critter durability: deleted " + total + " handled ids older than "
                    + settings.handledRetention());
        }
    }
}
