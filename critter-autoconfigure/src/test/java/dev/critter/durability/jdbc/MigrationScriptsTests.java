package dev.critter.durability.jdbc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The scripts Critter ships: named like Flyway's, all listed, each recording its own version. */
class MigrationScriptsTests {

    private final ClassLoader classLoader = getClass().getClassLoader();

    @Test
    void listsEveryScriptInTheFolderLowestVersionFirst() throws Exception {
        Resource[] files = new PathMatchingResourcePatternResolver(classLoader)
                .getResources("classpath*:" + MigrationScripts.LOCATION + "/*.sql");
        List<String> onClasspath = Arrays.stream(files).map(Resource::getFilename).sorted().toList();

        MigrationScripts scripts = MigrationScripts.critter();

        assertThat(scripts.all()).extracting(script -> script.resource().substring(MigrationScripts.LOCATION.length() + 1))
                .containsExactlyElementsOf(onClasspath);
        assertThat(scripts.all()).extracting(MigrationScript::version).isSorted().doesNotHaveDuplicates();
        assertThat(scripts.all().get(0)).isEqualTo(new MigrationScript(1, "durability tables",
                "META-INF/critter/db/postgresql/V1__durability_tables.sql"));
        assertThat(scripts.latestVersion()).isEqualTo(scripts.all().get(scripts.all().size() - 1).version());
    }

    @Test
    void eachScriptRecordsItsOwnVersionAndDescriptionInItsSchema() {
        Pattern record = Pattern.compile("INSERT INTO \"\\$\\{critter_schema}\"\\.critter_schema_version "
                + "\\(version, description\\)\\s+VALUES \\((\\d+), '([^']*)'\\)");
        for (MigrationScript script : MigrationScripts.critter().all()) {
            String text = script.sqlFor(new SchemaName("unused"), classLoader)
                    .replace("\"unused\"", "\"" + MigrationScripts.SCHEMA_PLACEHOLDER + "\"");
            Matcher inserted = record.matcher(text);
            assertThat(inserted.find()).as(script + " inserts its version row").isTrue();
            assertThat(Integer.parseInt(inserted.group(1))).isEqualTo(script.version());
            assertThat(inserted.group(2)).isEqualTo(script.description());
        }
    }

    @Test
    void theSchemaPlaceholderIsReplacedByTheNameEverywhere() {
        String sql = MigrationScripts.critter().all().get(0).sqlFor(new SchemaName("orders_messaging"), classLoader);

        assertThat(sql).doesNotContain(MigrationScripts.SCHEMA_PLACEHOLDER).doesNotContain("\"critter\"")
                .contains("CREATE SCHEMA \"orders_messaging\"")
                .contains("\"orders_messaging\".critter_outgoing_envelopes");
    }

    @Test
    void theAdvisoryLockKeyIsCritterInAsciiAsDocumented() throws Exception {
        assertThat(JdbcSchemaMigrations.LOCK_KEY)
                .isEqualTo(new BigInteger(1, "critter".getBytes(StandardCharsets.US_ASCII))
                        .longValueExact());
        assertThat(Files.readString(Path.of("..", "docs", "durability.md")))
                .contains("pg_advisory_xact_lock(" + JdbcSchemaMigrations.LOCK_KEY + ")");
    }

    @Test
    void refusesScriptNamesFlywayWouldNotRunAndTwoScriptsForOneVersion() {
        assertThatIllegalArgumentException().isThrownBy(() -> MigrationScripts.of("x", List.of("V1_missing_underscore.sql")))
                .withMessageContaining("V1_missing_underscore.sql");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MigrationScripts.of("x", List.of("V1__one.sql", "V1__other.sql")))
                .withMessageContaining("Two migration scripts for version 1");
        assertThat(MigrationScripts.of("x", List.of("V10__ten.sql", "V2__two.sql")).all())
                .extracting(MigrationScript::version).containsExactly(2, 10);
    }
}
