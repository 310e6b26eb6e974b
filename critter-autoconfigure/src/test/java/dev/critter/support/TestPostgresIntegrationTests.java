package dev.critter.support;

import dev.critter.support.TestPostgres.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared test server gives every caller a database of its own. */
class TestPostgresIntegrationTests {

    @Test
    void eachCallerGetsItsOwnEmptyDatabaseOnTheSameServer() {
        TestDatabase first = TestPostgres.newDatabase(TestPostgresIntegrationTests.class);
        TestDatabase second = TestPostgres.newDatabase(TestPostgresIntegrationTests.class);
        JdbcClient one = JdbcClient.create(first.dataSource());
        JdbcClient other = JdbcClient.create(second.dataSource());

        one.sql("CREATE TABLE note (text TEXT)").update();
        one.sql("INSERT INTO note VALUES ('only here')").update();

        assertThat(first.url()).isNotEqualTo(second.url());
        assertThat(serverOf(first)).isEqualTo(serverOf(second));
        assertThat(one.sql("SELECT text FROM note").query(String.class).list()).containsExactly("only here");
        assertThat(other.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'note'")
                .query(Integer.class).single()).isZero();
        assertThat(other.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
    }

    private static String serverOf(TestDatabase database) {
        return database.url().substring(0, database.url().lastIndexOf('/'));
    }
}
