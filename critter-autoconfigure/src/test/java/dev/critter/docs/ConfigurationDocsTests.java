package dev.critter.docs;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/configuration.md true: every key the configuration processor generates is documented. */
class ConfigurationDocsTests {

    @Test
    void everyGeneratedCritterKeyAppearsInTheConfigurationReference() throws Exception {
        List<String> keys = new ArrayList<>();
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("generated configuration metadata").isNotNull();
            String json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
            Matcher names = Pattern.compile("\"name\"\\s*:\\s*\"(critter\\.[^\"]+)\"").matcher(json);
            assertThat(json).as("the per-queue keys, described for IDEs on critter.local.queues")
                    .contains("each with the keys parallelism, sequential, capacity, durable and partition-by");
            while (names.find()) {
                keys.add(names.group(1));
            }
        }
        assertThat(keys).contains("critter.local.default-capacity", "critter.local.queues");

        Path reference = Path.of("..", "docs", "configuration.md");
        assertThat(reference).exists();
        String text = Files.readString(reference);
        assertThat(keys).allSatisfy(key -> assertThat(text).as("docs/configuration.md mentions " + key).contains(key));
        for (String queueKey : List.of("parallelism", "sequential", "capacity", "durable", "partition-by")) {
            assertThat(text).contains("critter.local.queues.<name>." + queueKey);
        }
    }
}
