package dev.critter.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.critter.CritterConfigurationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The valid names come from every jar's configuration metadata, so a properties class or a key
 * another Critter module adds (an actuator switch, a durability setting) is known without
 * touching the check, and a typo in it is still caught.
 */
class KnownSettingsTests {

    /** A properties class another module could bind under {@code critter.extra}. */
    public static class ExtraProperties {

        private int batchSize = 10;

        private Map<String, Route> routes = Map.of();

        public int getBatchSize() { return batchSize; }

        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }

        public Map<String, Route> getRoutes() { return routes; }

        public void setRoutes(Map<String, Route> routes) { this.routes = routes; }
    }

    /** A map value with its own settings. */
    public static class Route {

        private List<String> hosts = List.of();

        public List<String> getHosts() { return hosts; }

        public void setHosts(List<String> hosts) { this.hosts = hosts; }
    }

    @TempDir Path jar;

    private ClassLoader withMetadata(String json) throws IOException {
        Path metadata = jar.resolve("META-INF/spring-configuration-metadata.json");
        Files.createDirectories(metadata.getParent());
        Files.writeString(metadata, json);
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    }

    private static void check(ClassLoader loader, Map<String, String> properties) {
        List<ConfigurationPropertySource> sources = List.of(new MapConfigurationPropertySource(properties));
        new UnknownSettingsCheck(KnownSettings.load(loader)).check(sources);
    }

    @Test
    void aGroupInAnotherJarsMetadataIsWalkedLikeCrittersOwn() throws IOException {
        ClassLoader loader = withMetadata("""
                {"groups": [{"name": "critter.extra", "type": "%s"}], "properties": []}
                """.formatted(ExtraProperties.class.getName()));

        assertThatNoException().isThrownBy(() -> check(loader, Map.of("critter.extra.batch-size", "5",
                "critter.extra.routes.eu.hosts[0]", "a", "critter.local.default-capacity", "5")));
        assertThatThrownBy(() -> check(loader, Map.of("critter.extra.routes.eu.hostz", "a")))
                .isInstanceOf(CritterConfigurationException.class)
                .hasMessageStartingWith("unknown setting `hostz` in critter.extra.routes.eu; did you mean `hosts`?");
    }

    @Test
    void aKeyListedOnlyInMetadataIsKnown() throws IOException {
        ClassLoader loader = withMetadata("""
                {"properties": [{"name": "critter.actuator.enabled", "type": "java.lang.Boolean"}]}
                """);

        assertThatNoException().isThrownBy(() -> check(loader, Map.of("critter.actuator.enabled", "false")));
        assertThatThrownBy(() -> check(loader, Map.of("critter.actuator.enabeld", "false")))
                .hasMessageStartingWith("unknown setting `enabeld` in critter.actuator; did you mean `enabled`?");
    }

    @Test
    void aGroupWhoseClassIsMissingAcceptsAnythingBelowIt() throws IOException {
        ClassLoader loader = withMetadata("""
                {"groups": [{"name": "critter.rabbit", "type": "com.example.NotOnTheClassPath"}]}
                """);

        assertThatNoException().isThrownBy(() -> check(loader, Map.of("critter.rabbit.anything.at.all", "1")));
    }

    @Test
    void withoutOtherMetadataCrittersOwnPropertiesAreKnown() {
        assertThatNoException().isThrownBy(() -> check(getClass().getClassLoader(),
                Map.of("critter.local.queues.job.partition-by", "id", "critter.errors.retry-cooldowns", "1s")));
        assertThatThrownBy(() -> check(getClass().getClassLoader(), Map.of("critter.kafka.enabled", "true")))
                .hasMessageStartingWith("unknown setting `kafka` in critter");
    }
}
