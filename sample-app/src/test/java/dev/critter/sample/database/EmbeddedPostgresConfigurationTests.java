package dev.critter.sample.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default profile's database starts with the context and stops with it; the external profile has none. */
class EmbeddedPostgresConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddedPostgresConfiguration.class);

    @Test
    void theDataSourceIsARunningPostgresqlThatStopsWithTheContext() {
        int[] port = new int[1];
        runner.run(context -> {
            JdbcClient jdbc = JdbcClient.create(context.getBean(DataSource.class));
            assertThat(jdbc.sql("SHOW server_version").query(String.class).single()).startsWith("15.");
            port[0] = context.getBean(EmbeddedPostgres.class).getPort();
        });

        assertThatThrownBy(() -> connect(port[0])).isInstanceOf(SQLException.class);
    }

    @Test
    void theExternalPostgresProfileStartsNoEmbeddedServer() {
        runner.withInitializer(context -> context.getEnvironment()
                        .setActiveProfiles(EmbeddedPostgresConfiguration.EXTERNAL_PROFILE))
                .run(context -> assertThat(context).doesNotHaveBean(EmbeddedPostgres.class)
                        .doesNotHaveBean(DataSource.class));
    }

    private static void connect(int port) throws SQLException {
        try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                "postgres", "")) {
            // connected: the server is still up
        }
    }
}
