package dev.critter.durability.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned SQL script on the classpath, named like Flyway's versioned migrations:
 * {@code V<version>__<description>.sql}. The script writes its own row into the version table,
 * so it is recorded however it is run.
 * @param version the schema version the script brings the schema to
 * @param description the description part of the file name, underscores as spaces
 * @param resource the classpath location, e.g. {@code META-INF/critter/db/postgresql/V1__durability_tables.sql}
 */
public record MigrationScript(int version, String description, String resource) {

    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9_]+)\\.sql");

    /**
     * The script at a location.
     * @param location the classpath folder, without a trailing slash
     * @param fileName the file's name, {@code V<version>__<description>.sql}
     * @return the script
     * @throws IllegalArgumentException when the file name does not follow the pattern
     */
    static MigrationScript at(String location, String fileName) {
        Matcher parts = FILE_NAME.matcher(fileName);
        if (!parts.matches()) {
            throw new IllegalArgumentException("Migration script name '" + fileName + "' does not match " + FILE_NAME);
        }
        return new MigrationScript(Integer.parseInt(parts.group(1)), parts.group(2).replace('_', ' '),
                location + "/" + fileName);
    }

    /**
     * The script's SQL for one schema.
     * @param schema the validated schema name that replaces {@value MigrationScripts#SCHEMA_PLACEHOLDER}
     * @param classLoader where the script is found
     * @return the statements to run, as one text
     * @throws IllegalStateException when the script is missing from the classpath
     */
    String sqlFor(SchemaName schema, ClassLoader classLoader) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Critter's migration script " + resource + " is not on the classpath");
            }
            // The name is validated (no quotes, no backslashes), so plain replacement is safe.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace(MigrationScripts.SCHEMA_PLACEHOLDER, schema.value());
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not read " + resource, ex);
        }
    }

    @Override
    public String toString() {
        return "V" + version + " (" + description + ")";
    }
}
