package dev.critter.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.critter.durability.jdbc.JdbcSchemaMigrations;
import dev.critter.durability.jdbc.MigrationScripts;
import dev.critter.durability.jdbc.SchemaName;
import dev.critter.support.TestPostgres;
import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/durability.md true: every table the migrations create, and every column of it, is described under "Tables". */
class DurabilityTablesDocsIntegrationTests {

    @Test
    void everyTableAndColumnTheMigrationsCreateIsDocumented() throws Exception {
        TestDatabase database = TestPostgres.newDatabase(DurabilityTablesDocsIntegrationTests.class);
        new JdbcSchemaMigrations(database.dataSource(), new SchemaName("critter"), MigrationScripts.critter()).migrate();
        Map<String, List<String>> columns = JdbcClient.create(database.dataSource())
                .sql("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'critter' "
                        + "ORDER BY table_name, ordinal_position")
                .query((rs, row) -> List.of(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.groupingBy(pair -> pair.get(0), Collectors.mapping(pair -> pair.get(1), Collectors.toList())));

        String docs = Files.readString(Path.of("..", "docs", "durability.md"));
        String tables = docs.substring(docs.indexOf("\n## Tables"), docs.indexOf("\n## Guarantees"));
        String envelopeColumns = section(tables, "### Envelope columns");

        assertThat(columns).hasSize(8);
        columns.forEach((table, names) -> {
            String section = section(tables, "### `" + table + "`");
            assertThat(section).as("docs/durability.md has a section for " + table).isNotEmpty();
            for (String column : names) {
                assertThat(section + envelopeColumns).as("docs/durability.md describes " + table + "." + column)
                        .contains("| `" + column + "` |");
            }
        });
    }

    private static String section(String text, String heading) {
        int start = text.indexOf(heading);
        if (start < 0) {
            return "";
        }
        int end = text.indexOf("\n### ", start + heading.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
