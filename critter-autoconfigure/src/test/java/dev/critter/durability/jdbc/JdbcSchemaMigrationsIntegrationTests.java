package dev.critter.durability.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Critter's migrations on a real PostgreSQL: what they create, that they run once, how nodes starting together share them. */
class JdbcSchemaMigrationsIntegrationTests {

    private static final List<String> TABLES = List.of("critter_dead_letters", "critter_handled_messages",
            "critter_incoming_envelopes", "critter_nodes", "critter_outgoing_envelopes", "critter_partition_owners",
            "critter_scheduled_envelopes", "critter_schema_version");

    private static final MigrationScripts COUNTING_V1 = MigrationScripts.of("dev/critter/durability/jdbc/counting",
            List.of("V1__create_runs.sql"));

    private static final MigrationScripts COUNTING = MigrationScripts.of("dev/critter/durability/jdbc/counting",
            List.of("V1__create_runs.sql", "V2__second_run.sql"));

    private final TestDatabase database = TestPostgres.newDatabase(JdbcSchemaMigrationsIntegrationTests.class);

    private final JdbcClient jdbc = JdbcClient.create(database.dataSource());

    // Threads of their own: the common pool may have a single thread on a 2-core machine.
    private final ExecutorService nodes = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopNodes() {
        nodes.shutdownNow();
    }

    @Test
    void migratingAnEmptyDatabaseCreatesTheSchemaWithEveryTableAndRecordsEachVersion() {
        JdbcSchemaMigrations migrations = migrations("critter", MigrationScripts.critter());
        assertThat(migrations.missing()).extracting(MigrationScript::version).containsExactly(1, 2);

        JdbcSchema schema = migrations.migrate();

        assertThat(schema.name().value()).isEqualTo("critter");
        assertThat(schema.version()).isEqualTo(2);
        assertThat(tablesIn("critter")).containsExactlyElementsOf(TABLES);
        assertThat(jdbc.sql("SELECT version || ' ' || description FROM critter.critter_schema_version ORDER BY version")
                .query(String.class).list()).containsExactly("1 durability tables", "2 chain keys");
        assertThat(migrations.missing()).isEmpty();
    }

    @Test
    void aSecondRunChangesNothingAndTakesNoLock() throws Exception {
        migrations("critter", MigrationScripts.critter()).migrate();
        List<Object> installedAt = jdbc.sql("SELECT installed_at FROM critter.critter_schema_version ORDER BY version")
                .query().singleColumn();

        // Another session holds the migration lock: a run with nothing to do must not wait for it.
        try (Connection holder = database.dataSource().getConnection(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + JdbcSchemaMigrations.LOCK_KEY + ")");
            JdbcSchema again = CompletableFuture.supplyAsync(() -> migrations("critter", MigrationScripts.critter()).migrate(),
                    nodes).get(30, TimeUnit.SECONDS);
            assertThat(again.version()).isEqualTo(2);
        }

        assertThat(jdbc.sql("SELECT installed_at FROM critter.critter_schema_version ORDER BY version").query()
                .singleColumn()).isEqualTo(installedAt);
        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_schema_version").query(Integer.class).single())
                .isEqualTo(2);
        assertThat(tablesIn("critter")).containsExactlyElementsOf(TABLES);
    }

    @Test
    void theScriptsCanBeRunAgainByHandWithoutHarm() {
        migrations("critter", MigrationScripts.critter()).migrate();

        for (MigrationScript script : MigrationScripts.critter().all()) {
            jdbc.sql(script.sqlFor(new SchemaName("critter"), getClass().getClassLoader())).update();
        }

        assertThat(tablesIn("critter")).containsExactlyElementsOf(TABLES);
        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_schema_version").query(Integer.class).single())
                .isEqualTo(2);
        assertThat(primaryKey("critter_incoming_envelopes")).isEqualTo("id, destination, chain_key");
        assertThat(primaryKey("critter_scheduled_envelopes")).isEqualTo("id, destination, chain_key");
    }

    /**
     * Version 2 on a version-1 schema with rows in it: each row keyed by the chain it names, so
     * the retries of two chains of one message, and its first delivery, can be rows side by side.
     */
    @Test
    void versionTwoKeysTheRowsOfAVersionOneSchemaByChain() {
        MigrationScripts critter = MigrationScripts.critter();
        migrations("critter", MigrationScripts.of(MigrationScripts.LOCATION, List.of("V1__durability_tables.sql")))
                .migrate();
        String scheduled = """
                INSERT INTO critter.critter_scheduled_envelopes (id, destination, due_at, message_type, body, sent_at,
                    chain_id)
                VALUES ('0190a6e0-0000-7000-8000-000000000002', 'local://audit', now(), 'com.acme.Ping',
                        convert_to('{}', 'UTF8'), now(), ?)""";
        jdbc.sql(scheduled).param("com.acme.AuditHandler").update();
        jdbc.sql("""
                INSERT INTO critter.critter_incoming_envelopes (id, destination, message_type, body, sent_at)
                VALUES ('0190a6e0-0000-7000-8000-000000000002', 'local://audit', 'com.acme.Ping',
                        convert_to('{}', 'UTF8'), now())""").update();

        assertThat(migrations("critter", critter).migrate().version()).isEqualTo(2);

        assertThat(jdbc.sql("SELECT chain_key FROM critter.critter_scheduled_envelopes").query(String.class).list())
                .containsExactly("com.acme.AuditHandler");
        assertThat(jdbc.sql("SELECT chain_key FROM critter.critter_incoming_envelopes").query(String.class).list())
                .containsExactly("");
        // Another chain's retry of the same message is a row of its own.
        jdbc.sql(scheduled.replace("chain_id)", "chain_id, chain_key)").replace(", ?)", ", ?, ?)"))
                .param("com.acme.BillingHandler").param("com.acme.BillingHandler").update();
        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_scheduled_envelopes").query(Integer.class).single())
                .isEqualTo(2);
    }

    @Test
    void theMigrationLockEndsWithItsTransactionEvenWhenTheSessionStaysOpen() throws Exception {
        // One session kept open after the migration, as a connection pool keeps it.
        try (Connection session = database.dataSource().getConnection()) {
            SingleConnectionDataSource pooled = new SingleConnectionDataSource(session, true);

            new JdbcSchemaMigrations(pooled, new SchemaName("critter"), MigrationScripts.critter()).migrate();

            assertThat(JdbcClient.create(pooled).sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
                    .query(Integer.class).single()).isZero();
        }
    }

    @Test
    void twoNodesStartingAtOnceRunEachScriptExactlyOnce() throws Exception {
        // Two nodes: two data sources (so two sessions), released together by a barrier.
        DataSource first = database.dataSource();
        DataSource second = database.dataSource();
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<JdbcSchema> one = CompletableFuture.supplyAsync(() -> migrateAfter(together, first, COUNTING), nodes);
        CompletableFuture<JdbcSchema> other = CompletableFuture.supplyAsync(() -> migrateAfter(together, second, COUNTING),
                nodes);

        assertThat(one.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(other.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT script FROM critter.runs ORDER BY ran_at").query(Integer.class).list())
                .containsExactly(1, 2);
        assertThat(jdbc.sql("SELECT version FROM critter.critter_schema_version ORDER BY version").query(Integer.class)
                .list()).containsExactly(1, 2);
    }

    @Test
    void twoNodesStartingAtOnceBothGetCrittersTablesFromOneRun() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<JdbcSchema> one = CompletableFuture
                .supplyAsync(() -> migrateAfter(together, database.dataSource(), MigrationScripts.critter()), nodes);
        CompletableFuture<JdbcSchema> other = CompletableFuture
                .supplyAsync(() -> migrateAfter(together, database.dataSource(), MigrationScripts.critter()), nodes);

        assertThat(one.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(other.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(tablesIn("critter")).containsExactlyElementsOf(TABLES);
        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_schema_version").query(Integer.class).single())
                .isEqualTo(2);
    }

    @Test
    void aNewReleaseRunsOnlyTheScriptsAddedSinceTheLastOne() {
        migrations("critter", COUNTING_V1).migrate();

        JdbcSchemaMigrations next = migrations("critter", COUNTING);
        assertThat(next.missing()).extracting(MigrationScript::version).containsExactly(2);
        assertThat(next.migrate().version()).isEqualTo(2);

        assertThat(jdbc.sql("SELECT script FROM critter.runs ORDER BY ran_at").query(Integer.class).list())
                .containsExactly(1, 2);
    }

    @Test
    void aDatabaseANewerReleaseMigratedIsAcceptedAtItsVersion() {
        migrations("critter", MigrationScripts.critter()).migrate();
        jdbc.sql("INSERT INTO critter.critter_schema_version (version, description) VALUES (3, 'from a newer release')")
                .update();

        JdbcSchemaMigrations older = migrations("critter", MigrationScripts.critter());

        assertThat(older.missing()).isEmpty();
        assertThat(older.migrate().version()).isEqualTo(3);
        assertThat(older.ready().version()).isEqualTo(3);
    }

    @Test
    void aScriptThatFailsLeavesNothingBehindAndNoVersion() {
        MigrationScripts unrecorded = MigrationScripts.of("dev/critter/durability/jdbc/unrecorded",
                List.of("V1__forgets_its_version.sql"));

        assertThatIllegalStateException().isThrownBy(() -> migrations("critter", unrecorded).migrate())
                .withMessage("Migration script dev/critter/durability/jdbc/unrecorded/V1__forgets_its_version.sql ran "
                        + "but did not record version 1 in \"critter\".critter_schema_version");

        // The script's transaction rolled back: not even the schema is left.
        assertThat(jdbc.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'critter'").query(Integer.class).single())
                .isZero();
    }

    @Test
    void anotherSchemaNameHoldsTheTablesAndTheDefaultSchemaIsNotMade() {
        JdbcSchema schema = migrations("orders_messaging", MigrationScripts.critter()).migrate();

        assertThat(schema.table("critter_nodes")).isEqualTo("\"orders_messaging\".critter_nodes");
        assertThat(tablesIn("orders_messaging")).containsExactlyElementsOf(TABLES);
        assertThat(tablesIn("critter")).isEmpty();
        assertThat(migrations("critter", MigrationScripts.critter()).missing()).hasSize(2);
        assertThat(migrations("orders_messaging", MigrationScripts.critter()).missing()).isEmpty();
    }

    @Test
    void aSchemaNamedLikeAnSqlKeywordWorksBecauseItIsQuoted() {
        migrations("order", MigrationScripts.critter()).migrate();

        assertThat(tablesIn("order")).containsExactlyElementsOf(TABLES);
        assertThat(jdbc.sql("SELECT count(*) FROM \"order\".critter_outgoing_envelopes").query(Integer.class).single())
                .isZero();
    }

    @Test
    void anExistingSchemaIsUsedWithoutTheRightToCreateSchemas() {
        // A restricted user: may create tables in a schema an administrator made, may not create schemas.
        jdbc.sql("CREATE SCHEMA messaging").update();
        jdbc.sql("CREATE ROLE critter_app LOGIN").update();
        jdbc.sql("GRANT USAGE, CREATE ON SCHEMA messaging TO critter_app").update();
        jdbc.sql("REVOKE CREATE ON DATABASE " + databaseName() + " FROM PUBLIC").update();
        DataSource restricted = new TestDatabase(database.url(), "critter_app", "").dataSource();

        JdbcSchema schema = new JdbcSchemaMigrations(restricted, new SchemaName("messaging"), MigrationScripts.critter())
                .migrate();

        assertThat(schema.version()).isEqualTo(2);
        assertThat(tablesIn("messaging")).containsExactlyElementsOf(TABLES);
    }

    @Test
    void theEnvelopeTablesTakeOneMessageForTwoDestinationsAndClaimDueRowsInOneStatement() {
        migrations("critter", MigrationScripts.critter()).migrate();
        String insert = """
                INSERT INTO critter.critter_scheduled_envelopes (id, destination, due_at, message_type, body, sent_at)
                VALUES ('0190a6e0-0000-7000-8000-000000000001', ?, now() - interval '1 second', 'com.acme.Ping',
                        convert_to('{"n":1}', 'UTF8'), now())""";
        jdbc.sql(insert).param("local://audit").update();
        jdbc.sql(insert).param("local://billing").update();

        List<String> claimed = jdbc.sql("""
                UPDATE critter.critter_scheduled_envelopes SET owner_node_id = ?, claimed_at = now()
                WHERE (id, destination) IN (
                    SELECT id, destination FROM critter.critter_scheduled_envelopes
                    WHERE owner_node_id IS NULL AND due_at <= now()
                    ORDER BY due_at FOR UPDATE SKIP LOCKED LIMIT ?)
                RETURNING destination, convert_from(body, 'UTF8')::jsonb ->> 'n'""")
                .param(UUID.randomUUID()).param(100)
                .query((rs, row) -> rs.getString(1) + " " + rs.getString(2)).list();

        assertThat(claimed).containsExactlyInAnyOrder("local://audit 1", "local://billing 1");
    }

    private JdbcSchemaMigrations migrations(String schema, MigrationScripts scripts) {
        return new JdbcSchemaMigrations(database.dataSource(), new SchemaName(schema), scripts);
    }

    private static JdbcSchema migrateAfter(CyclicBarrier barrier, DataSource dataSource, MigrationScripts scripts) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return new JdbcSchemaMigrations(dataSource, new SchemaName("critter"), scripts).migrate();
    }

    private List<String> tablesIn(String schema) {
        return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")
                .param(schema).query(String.class).list();
    }

    private String primaryKey(String table) {
        return jdbc.sql("""
                SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
                CROSS JOIN unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE s.nspname = 'critter' AND t.relname = ? AND c.contype = 'p'""")
                .param(table).query(String.class).single();
    }

    private String databaseName() {
        return jdbc.sql("SELECT current_database()").query(String.class).single();
    }
}
