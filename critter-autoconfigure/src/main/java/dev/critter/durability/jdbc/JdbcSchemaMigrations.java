package dev.critter.durability.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.StatementCallback;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings Critter's schema to the version this release needs, or tells which versions are
 * missing. Safe when several nodes start at once: each script runs in its own transaction, which
 * first takes a transaction-level advisory lock ({@code pg_advisory_xact_lock}) on
 * {@link #LOCK_KEY}, then re-reads the recorded versions, so a script runs once, and a lock held
 * by a lost session ends with its transaction. When every version is recorded, nothing is locked
 * or written.
 */
public final class JdbcSchemaMigrations {

    /** The advisory lock key that serializes migrations on one database: "critter" in ASCII. */
    public static final long LOCK_KEY = 0x63726974746572L;

    /** The table recording applied versions, in the schema itself. */
    public static final String VERSION_TABLE = "critter_schema_version";

    private static final Log logger = LogFactory.getLog(JdbcSchemaMigrations.class);

    private static final String LOCK = "SELECT pg_advisory_xact_lock(?)";

    private static final String VERSION_TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";

    private static final String RECORDED_VERSIONS = "SELECT version FROM %s";

    private final JdbcClient jdbc;

    private final JdbcTemplate scriptRunner;

    private final TransactionTemplate transactions;

    private final SchemaName schema;

    private final MigrationScripts scripts;

    private final ClassLoader classLoader;

    /**
     * Prepares migrations of one schema.
     * @param dataSource the application's PostgreSQL data source
     * @param schema the schema holding Critter's tables
     * @param scripts the scripts the schema needs
     */
    public JdbcSchemaMigrations(DataSource dataSource, SchemaName schema, MigrationScripts scripts) {
        this.jdbc = JdbcClient.create(dataSource);
        this.scriptRunner = new JdbcTemplate(dataSource);
        // A transaction manager of its own: the application's may be JPA's, or missing.
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.schema = schema;
        this.scripts = scripts;
        this.classLoader = JdbcSchemaMigrations.class.getClassLoader();
    }

    /**
     * Applies every script whose version is not recorded yet, lowest first.
     * @return the schema, ready
     */
    public JdbcSchema migrate() {
        List<MigrationScript> pending = missing(recordedVersions());
        if (pending.isEmpty()) {
            return ready();
        }
        List<MigrationScript> applied = new ArrayList<>();
        for (MigrationScript script : pending) {
            Boolean ran = transactions.execute(status -> applyLocked(script));
            if (Boolean.TRUE.equals(ran)) {
                applied.add(script);
            }
        }
        if (!applied.isEmpty()) {
            logger.info("Critter schema " + schema.quoted() + ": applied " + applied);
        }
        return ready();
    }

    /**
     * The scripts this release needs whose versions are not recorded.
     * @return the missing scripts, lowest version first; empty when the schema is up to date
     */
    public List<MigrationScript> missing() {
        return missing(recordedVersions());
    }

    /**
     * The schema as it is recorded; call once {@link #missing()} came back empty.
     * @return the schema at its highest recorded version, which may be above this release's
     *         latest when a newer release migrated the database (its scripts only add)
     */
    public JdbcSchema ready() {
        TreeSet<Integer> recorded = recordedVersions();
        return new JdbcSchema(schema, recorded.isEmpty() ? 0 : recorded.last());
    }

    private List<MigrationScript> missing(Set<Integer> recorded) {
        return scripts.all().stream().filter(script -> !recorded.contains(script.version())).toList();
    }

    private boolean applyLocked(MigrationScript script) {
        jdbc.sql(LOCK).param(LOCK_KEY).query((rs, row) -> Boolean.TRUE).single();
        // Another node may have applied it while this one waited for the lock.
        if (recordedVersions().contains(script.version())) {
            return false;
        }
        String sql = script.sqlFor(schema, classLoader);
        // The script as one text: PostgreSQL's driver sends its statements in order and knows
        // dollar quoting; no JDBC escape processing of braces in it.
        scriptRunner.execute((StatementCallback<Boolean>) statement -> {
            statement.setEscapeProcessing(false);
            return statement.execute(sql);
        });
        if (!recordedVersions().contains(script.version())) {
            throw new IllegalStateException("Migration script " + script.resource() + " ran but did not record version "
                    + script.version() + " in " + schema.qualify(VERSION_TABLE));
        }
        return true;
    }

    private TreeSet<Integer> recordedVersions() {
        Boolean exists = jdbc.sql(VERSION_TABLE_EXISTS).param(schema.qualify(VERSION_TABLE)).query(Boolean.class).single();
        if (!Boolean.TRUE.equals(exists)) {
            return new TreeSet<>();
        }
        return new TreeSet<>(jdbc.sql(RECORDED_VERSIONS.formatted(schema.qualify(VERSION_TABLE))).query(Integer.class).list());
    }
}
