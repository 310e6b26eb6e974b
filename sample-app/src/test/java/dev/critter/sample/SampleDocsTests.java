package dev.critter.sample;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/sample.md true: its code is the sample's code, and every sample.* key is in its table. */
class SampleDocsTests {

    private static final Path DOCS = Path.of("..", "docs", "sample.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyLineOfItsJavaSnippetsIsInTheSampleSources() throws IOException {
        String sources = sources();
        Matcher blocks = JAVA_BLOCK.matcher(Files.readString(DOCS));
        List<String> lines = new ArrayList<>();
        while (blocks.find()) {
            blocks.group(1).lines().map(String::strip).filter(line -> !line.isEmpty() && !line.equals("..."))
                    .forEach(lines::add);
        }

        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(sources).as("a sample source has: " + line)
                .contains(line));
    }

    @Test
    void everySampleSettingIsInItsTable() throws IOException {
        String docs = Files.readString(DOCS);

        assertThat(keys("sample", SampleProperties.class)).containsExactlyInAnyOrder("sample.reminder-delay",
                        "sample.payment-deadline", "sample.walkthrough.enabled", "sample.load")
                .allSatisfy(key -> assertThat(docs).contains("| `" + key + "` |"));
    }

    private static String sources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Files.readString(file).lines().map(String::strip).forEach(line -> all.append(line).append('\n'));
            }
        }
        return all.toString();
    }

    private static List<String> keys(String prefix, Class<?> properties) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : properties.getRecordComponents()) {
            String key = prefix + "." + component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            if (component.getType().isRecord()) {
                keys.addAll(keys(key, component.getType()));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }
}
