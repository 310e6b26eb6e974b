package dev.critter.autoconfigure.durability;

import java.util.ArrayList;
import java.util.List;

import dev.critter.IMessageBus;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.durability.jdbc.JdbcSchema;
import dev.critter.support.DurableApps;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Switching durability on in an application with a PostgreSQL DataSource: the schema is migrated
 * (or checked) at start-up, and start-up fails with Critter's report when it cannot be.
 */
@ExtendWith(OutputCaptureExtension.class)
class CritterDurabilityIntegrationTests {

    private final TestDatabase database = TestPostgres.newDatabase(CritterDurabilityIntegrationTests.class);

    private final JdbcClient jdbc = JdbcClient.create(database.dataSource());

    private final ApplicationContextRunner runner = DurableApps.runner(database);

    @Test
    void anApplicationWithAPostgresDataSourceGetsCrittersSchemaAtStartUp() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcSchema.class).hasSingleBean(IMessageBus.class);
            JdbcSchema schema = context.getBean(JdbcSchema.class);
            assertThat(schema.name().value()).isEqualTo("critter");
            assertThat(schema.version()).isEqualTo(2);
        });
        assertThat(tablesIn("critter")).contains("critter_outgoing_envelopes", "critter_incoming_envelopes",
                "critter_scheduled_envelopes", "critter_dead_letters", "critter_handled_messages", "critter_nodes",
                "critter_partition_owners", "critter_schema_version");
    }

    @Test
    void theSchemaPropertyPutsTheTablesElsewhere() {
        runner.withPropertyValues("critter.durability.schema=orders_messaging").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JdbcSchema.class).table("critter_nodes"))
                    .isEqualTo("\"orders_messaging\".critter_nodes");
        });
        assertThat(tablesIn("orders_messaging")).hasSize(8);
        assertThat(tablesIn("critter")).isEmpty();
    }

    @Test
    void restartingOnAMigratedDatabaseStartsAgain() {
        runner.run(context -> assertThat(context).hasNotFailed());
        runner.run(context -> assertThat(context).hasNotFailed());

        assertThat(jdbc.sql("SELECT count(*) FROM critter.critter_schema_version").query(Integer.class).single())
                .isEqualTo(2);
    }

    @Test
    void withoutAutoCreateAnEmptyDatabaseFailsStartUpNamingTheMissingVersionsAndTheScripts() {
        runner.withPropertyValues("critter.durability.auto-create=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("critter.durability.auto-create=false, and schema \"critter\" lacks Critter's schema "
                            + "versions V1 (durability tables), V2 (chain keys) (none recorded in \"critter\".critter_schema_version)");
        });
        assertThat(jdbc.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'critter'").query(Integer.class).single())
                .as("nothing was created").isZero();
    }

    @Test
    void withoutAutoCreateAMigratedDatabaseStarts() {
        runner.run(context -> assertThat(context).hasNotFailed());

        runner.withPropertyValues("critter.durability.auto-create=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JdbcSchema.class).version()).isEqualTo(2);
        });
    }

    @Test
    void withoutAutoCreateTheReportSaysWhereTheScriptsAreAndHowToRunThem(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application("critter.durability.auto-create=false"));

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Critter cannot start: critter.durability.auto-create=false, and schema \"critter\" lacks "
                        + "Critter's schema versions V1 (durability tables), V2 (chain keys)")
                .contains("Run the missing scripts, in version order, from the classpath of Critter's jar: "
                        + "META-INF/critter/db/postgresql/V1__durability_tables.sql, "
                        + "META-INF/critter/db/postgresql/V2__chain_keys.sql (replace ${critter_schema} with critter;")
                .contains("as a Flyway location with the placeholder critter_schema=critter")
                .contains("docs/durability.md")
                .contains("or set critter.durability.auto-create=true");
    }

    @Test
    void aBadSchemaNameFailsStartUpWithCrittersReport(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application("critter.durability.schema=critter;drop"));

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Critter cannot start: critter.durability.schema='critter;drop' is not a valid schema name: "
                        + "it must match [a-z_][a-z0-9_]{0,62}, not starting with pg_")
                .contains("Set critter.durability.schema to a lower-case name");
        assertThat(jdbc.sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'critter%'").query(Integer.class)
                .single()).isZero();
    }

    private void application(String property) {
        List<String> properties = new ArrayList<>(List.of(database.springProperties()));
        properties.addAll(List.of(property, "spring.main.banner-mode=off", "critter.shutdown-timeout=5s",
                "critter.handlers.base-packages=" + getClass().getPackageName() + ".nohandlers"));
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run().close();
    }

    private List<String> tablesIn(String schema) {
        return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")
                .param(schema).query(String.class).list();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, CritterDurabilityAutoConfiguration.class,
            CritterAutoConfiguration.class})
    static class App {
    }
}
