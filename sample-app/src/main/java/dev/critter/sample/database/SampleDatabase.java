package dev.critter.sample.database;

import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Says which PostgreSQL the sample runs on, and what Critter created in it. */
@Component
public class SampleDatabase {

    private final JdbcClient jdbc;
    private final boolean external;

    SampleDatabase(JdbcClient jdbc, Environment environment) {
        this.jdbc = jdbc;
        this.external = environment.acceptsProfiles(Profiles.of(EmbeddedPostgresConfiguration.EXTERNAL_PROFILE));
    }

    /** @return e.g. {@code PostgreSQL 15.19, database "postgres" on port 40889 (embedded: ...)} */
    public String describe() {
        String version = jdbc.sql("SHOW server_version").query(String.class).single();
        String database = jdbc.sql("SELECT current_database()").query(String.class).single();
        // 0 when connected through a Unix socket, which has no port
        int port = jdbc.sql("SELECT coalesce(inet_server_port(), 0)").query(Integer.class).single();
        return "PostgreSQL " + version + ", database \"" + database + "\"" + (port == 0 ? "" : " on port " + port)
                + (external ? " (profile " + EmbeddedPostgresConfiguration.EXTERNAL_PROFILE + ": spring.datasource.*)"
                        : " (embedded: started by the sample, deleted when it stops)");
    }

    /** @param schema a schema name @return its tables, by name */
    public List<String> tables(String schema) {
        return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")
                .param(schema).query(String.class).list();
    }
}
