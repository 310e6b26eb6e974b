package dev.critter.durability.jdbc;

import java.util.Comparator;
import java.util.List;

/**
 * The ordered list of schema scripts a release of Critter expects applied: the scripts it ships
 * in {@value #LOCATION} (or, in Critter's own tests, another list).
 */
public final class MigrationScripts {

    /** The classpath folder of Critter's PostgreSQL scripts; usable as a Flyway location. */
    public static final String LOCATION = "META-INF/critter/db/postgresql";

    /** Where the scripts write the schema name; a Flyway placeholder / Liquibase parameter named {@code critter_schema}. */
    public static final String SCHEMA_PLACEHOLDER = "${critter_schema}";

    // Listed rather than discovered: a release knows exactly which versions it needs, and a stray
    // file on the classpath cannot add one. MigrationScriptsTests checks the list matches the folder.
    private static final List<String> CRITTER = List.of("V1__durability_tables.sql", "V2__chain_keys.sql");

    private final String location;

    private final List<MigrationScript> scripts;

    private MigrationScripts(String location, List<MigrationScript> scripts) {
        this.location = location;
        this.scripts = scripts;
    }

    /**
     * Critter's own scripts.
     * @return the scripts of this release, lowest version first
     */
    public static MigrationScripts critter() {
        return of(LOCATION, CRITTER);
    }

    /**
     * Scripts from another folder.
     * @param location a classpath folder, without a trailing slash
     * @param fileNames the files, {@code V<version>__<description>.sql}, in any order
     * @return the scripts, lowest version first
     * @throws IllegalArgumentException when a name breaks the pattern, two share a version, or there are none
     */
    public static MigrationScripts of(String location, List<String> fileNames) {
        List<MigrationScript> scripts = fileNames.stream().map(name -> MigrationScript.at(location, name))
                .sorted(Comparator.comparingInt(MigrationScript::version)).toList();
        if (scripts.isEmpty()) {
            throw new IllegalArgumentException("No migration scripts in " + location);
        }
        for (int i = 1; i < scripts.size(); i++) {
            if (scripts.get(i).version() == scripts.get(i - 1).version()) {
                throw new IllegalArgumentException("Two migration scripts for version " + scripts.get(i).version()
                        + " in " + location + ": " + scripts.get(i - 1).resource() + ", " + scripts.get(i).resource());
            }
        }
        return new MigrationScripts(location, scripts);
    }

    /**
     * Where the scripts are.
     * @return the classpath folder of the scripts
     */
    public String location() {
        return location;
    }

    /**
     * The scripts.
     * @return the scripts, lowest version first
     */
    public List<MigrationScript> all() {
        return scripts;
    }

    /**
     * The version this release brings the schema to.
     * @return the version the schema has once every script ran
     */
    public int latestVersion() {
        return scripts.get(scripts.size() - 1).version();
    }
}
