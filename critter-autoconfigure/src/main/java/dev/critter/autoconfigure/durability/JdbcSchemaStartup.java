package dev.critter.autoconfigure.durability;

import java.sql.DatabaseMetaData;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.critter.CritterConfigurationException;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.durability.jdbc.JdbcSchemaMigrations;
import dev.critter.durability.jdbc.MigrationScript;
import dev.critter.durability.jdbc.MigrationScripts;
import dev.critter.durability.jdbc.SchemaName;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Readies Critter's schema at start-up as {@code critter.durability.*} says: validates the
 * schema name, checks the database is PostgreSQL, then migrates ({@code auto-create=true}) or
 * checks that every script was run ({@code auto-create=false}). Failures name the key, the value
 * and the fix.
 */
final class JdbcSchemaStartup {

    static final String SCHEMA_KEY = "critter.durability.schema";

    static final String AUTO_CREATE_KEY = "critter.durability.auto-create";

    private JdbcSchemaStartup() {
    }

    static JdbcSchema prepare(DataSource dataSource, DurabilityProperties properties, MigrationScripts scripts) {
        SchemaName schema = schemaName(properties.getSchema());
        requirePostgres(dataSource);
        JdbcSchemaMigrations migrations = new JdbcSchemaMigrations(dataSource, schema, scripts);
        if (properties.isAutoCreate()) {
            return migrations.migrate();
        }
        List<MigrationScript> missing = migrations.missing();
        if (!missing.isEmpty()) {
            throw missingVersions(schema, scripts, missing);
        }
        return migrations.ready();
    }

    static SchemaName schemaName(String value) {
        if (!SchemaName.isValid(value)) {
            throw new CritterConfigurationException(SCHEMA_KEY + "='" + value + "' is not a valid schema name: it must match "
                    + SchemaName.RULE, "Set " + SCHEMA_KEY + " to a lower-case name of letters, digits and underscores "
                    + "(starting with a letter or underscore, at most 63 characters, not starting with pg_), e.g. critter");
        }
        return new SchemaName(value);
    }

    private static void requirePostgres(DataSource dataSource) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException ex) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
            throw new IllegalStateException("Critter's durability could not connect to the DataSource to check that it is "
                    + "PostgreSQL: " + cause.getMessage(), ex);
        }
        if (!"PostgreSQL".equals(product)) {
            throw new CritterConfigurationException("Critter's durability needs PostgreSQL, but the application's "
                    + "DataSource is " + product + " (durability is on whenever the application has a single DataSource)",
                    "Point the DataSource (spring.datasource.*) at PostgreSQL, or set critter.durability.enabled=false");
        }
    }

    private static CritterConfigurationException missingVersions(SchemaName schema, MigrationScripts scripts,
                                                                 List<MigrationScript> missing) {
        String versions = missing.stream().map(MigrationScript::toString).collect(Collectors.joining(", "));
        String files = missing.stream().map(MigrationScript::resource).collect(Collectors.joining(", "));
        return new CritterConfigurationException(AUTO_CREATE_KEY + "=false, and schema " + schema.quoted()
                + " lacks Critter's schema versions " + versions + " (none recorded in "
                + schema.qualify(JdbcSchemaMigrations.VERSION_TABLE) + ")",
                "Run the missing scripts, in version order, from the classpath of Critter's jar: " + files
                + " (replace " + MigrationScripts.SCHEMA_PLACEHOLDER + " with " + schema.value()
                + "; or use classpath:" + scripts.location() + " as a Flyway location with the placeholder critter_schema="
                + schema.value() + "), as docs/durability.md \"Running the migrations yourself\" shows; "
                + "or set " + AUTO_CREATE_KEY + "=true to let Critter run them at start-up");
    }
}
