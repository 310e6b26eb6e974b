package dev.critter.durability.jdbc;

import java.time.Duration;
import java.time.Instant;

import dev.critter.time.TimeSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One clean-up run of {@code critter_dead_letters}: deletes the dead letters that failed longer
 * ago than {@code critter.durability.dead-letter-retention}, oldest first, {@code batch-size} rows
 * per statement and commit. Rows another node's run or a replay holds are skipped, not waited for.
 */
final class DeadLetterRetention {

    /** Batches one run deletes at most; the agent runs again at once for the rest, so other background work interleaves. */
    static final int MAX_BATCHES_PER_RUN = 20;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Duration retention;
    private final int batchSize;
    private final TimeSource time;
    private final String deleteExpired;

    DeadLetterRetention(JdbcTemplate jdbc, TransactionTemplate transaction, String table, Duration retention,
                        int batchSize, TimeSource time) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.retention = retention;
        this.batchSize = batchSize;
        this.time = time;
        this.deleteExpired = """
                DELETE FROM %1$s
                WHERE id IN (SELECT id FROM %1$s
                             WHERE failed_at < ?
                             ORDER BY failed_at, id
                             LIMIT ?
                             FOR UPDATE SKIP LOCKED)""".formatted(table);
    }

    /**
     * What one run did.
     * @param deleted how many dead letters it deleted
     * @param more whether it stopped at {@link #MAX_BATCHES_PER_RUN} with expired rows perhaps left
     */
    record Outcome(int deleted, boolean more) {
    }

    /**
     * Deletes expired dead letters, batch by batch.
     * @return how many, and whether to run again at once
     */
    Outcome run() {
        // failed_at is written from the runtime's clock, so the cut-off is taken from the same clock.
        Instant cutoff = time.now().minus(retention);
        int deleted = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            Integer rows = transaction.execute(status -> jdbc.update(deleteExpired,
                    EnvelopeColumns.timestamp(cutoff), batchSize));
            int count = rows == null ? 0 : rows;
            deleted += count;
            if (count < batchSize) {
                return new Outcome(deleted, false);
            }
        }
        return new Outcome(deleted, true);
    }

    /**
     * How often clean-up runs: a tenth of the retention, at most every minute (which also bounds how
     * stale the count of dead letters gets), and no more often than the poll interval.
     * @param retention how long dead letters are kept
     * @param pollInterval {@code critter.durability.poll-interval}
     * @return the interval between runs
     */
    static Duration interval(Duration retention, Duration pollInterval) {
        Duration tenth = retention.dividedBy(10);
        Duration capped = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
        return capped.compareTo(pollInterval) > 0 ? capped : pollInterval;
    }
}
