package dev.critter.durability.jdbc;

import java.util.regex.Pattern;

/**
 * The PostgreSQL schema holding Critter's tables, validated once so it can be written into SQL:
 * lower-case letters, digits and underscores, starting with a letter or underscore, at most 63
 * characters (PostgreSQL's identifier limit), and not starting with {@code pg_} (reserved for
 * system schemas). It is still quoted wherever it is used, so a valid name that is also an SQL
 * keyword ({@code order}, {@code user}) works.
 * @param value the name as configured
 */
public record SchemaName(String value) {

    /** The rule a schema name must follow, as shown in error messages. */
    public static final String RULE = "[a-z_][a-z0-9_]{0,62}, not starting with pg_";

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Checks the name.
     * @param value the name as configured
     */
    public SchemaName {
        if (value == null || !VALID.matcher(value).matches() || value.startsWith("pg_")) {
            throw new IllegalArgumentException("'" + value + "' is not a valid schema name: it must match " + RULE);
        }
    }

    /**
     * Tells whether a name follows {@link #RULE}.
     * @param value a candidate name, possibly null
     * @return whether {@code new SchemaName(value)} would succeed
     */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches() && !value.startsWith("pg_");
    }

    /**
     * The name quoted for SQL.
     * @return the name in double quotes, e.g. {@code "critter"}
     */
    public String quoted() {
        return '"' + value + '"';
    }

    /**
     * A table of this schema, for SQL text.
     * @param table an unquoted, lower-case table name written by Critter's code (never configuration)
     * @return the qualified name, e.g. {@code "critter".critter_nodes}
     */
    public String qualify(String table) {
        return quoted() + "." + table;
    }

    @Override
    public String toString() {
        return value;
    }
}
