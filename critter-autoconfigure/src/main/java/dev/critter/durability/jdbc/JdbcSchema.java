package dev.critter.durability.jdbc;

/**
 * Critter's schema on PostgreSQL once start-up migrated or checked it: the durable stores take
 * it as a constructor argument, so none of them runs before its tables exist.
 */
public final class JdbcSchema {

    private final SchemaName name;

    private final int version;

    /**
     * Describes a schema that is ready.
     * @param name the schema
     * @param version the highest schema version recorded in it
     */
    public JdbcSchema(SchemaName name, int version) {
        this.name = name;
        this.version = version;
    }

    /**
     * The schema's name.
     * @return the validated name
     */
    public SchemaName name() {
        return name;
    }

    /**
     * The schema's version.
     * @return the highest version recorded in {@code critter_schema_version} when start-up checked it
     */
    public int version() {
        return version;
    }

    /**
     * A table of this schema, for SQL text.
     * @param table an unquoted table name written by Critter's code, e.g. {@code critter_nodes}
     * @return the quoted, qualified name, e.g. {@code "critter".critter_nodes}
     */
    public String table(String table) {
        return name.qualify(table);
    }

    @Override
    public String toString() {
        return "schema " + name.quoted() + " at version " + version;
    }
}
