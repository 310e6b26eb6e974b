package dev.critter.durability.jdbc;

import java.util.ArrayList;
import java.util.List;

import dev.critter.DeadLetterQuery;

/**
 * A {@link DeadLetterQuery} as SQL over {@code critter_dead_letters d}: the same filters as
 * {@link DeadLetterQuery#matches}, each a fixed fragment with bound parameters (never text of the
 * query spliced in), keyset-paged on the index {@code (failed_at, id)}.
 * @param sql the select, ending in {@code ORDER BY ... LIMIT ?}
 * @param parameters its parameters, in order
 */
record DeadLetterFilters(String sql, List<Object> parameters) {

    /**
     * Builds the select of one page plus one row (to tell whether another page follows).
     * @param table the qualified table
     * @param query the query
     * @return the select and its parameters
     */
    static DeadLetterFilters select(String table, DeadLetterQuery query) {
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        if (query.messageType() != null) {
            and(where, "d.message_type = ?");
            parameters.add(query.messageType());
        }
        if (query.exceptionType() != null) {
            String wanted = query.exceptionType();
            // The class name, or a class whose simple name it is (after '.' or '$'), as matches() says.
            and(where, "(d.exception_type = ? OR d.exception_type LIKE ? ESCAPE '\\' OR d.exception_type LIKE ? ESCAPE '\\')");
            parameters.add(wanted);
            parameters.add("%." + likeLiteral(wanted));
            parameters.add("%$" + likeLiteral(wanted));
        }
        if (query.destination() != null) {
            and(where, "d.destination = ?");
            parameters.add(query.destination());
        }
        if (query.since() != null) {
            and(where, "d.failed_at >= ?");
            parameters.add(EnvelopeColumns.timestamp(query.since()));
        }
        if (query.until() != null) {
            and(where, "d.failed_at < ?");
            parameters.add(EnvelopeColumns.timestamp(query.until()));
        }
        if (query.afterFailedAt() != null && query.afterId() != null) {
            and(where, "(d.failed_at, d.id) > (?, ?)");
            parameters.add(EnvelopeColumns.timestamp(query.afterFailedAt()));
            parameters.add(query.afterId());
        }
        parameters.add(query.limit() + 1);
        String sql = "SELECT " + DeadLetterRows.SELECTED + "\nFROM " + table + " d" + where
                + "\nORDER BY d.failed_at, d.id\nLIMIT ?";
        return new DeadLetterFilters(sql, List.copyOf(parameters));
    }

    private static void and(StringBuilder where, String condition) {
        where.append(where.isEmpty() ? "\nWHERE " : "\n  AND ").append(condition);
    }

    /** Text matched literally by LIKE: its wildcards and the escape character escaped. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
