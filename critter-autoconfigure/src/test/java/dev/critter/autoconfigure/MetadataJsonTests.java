package dev.critter.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metadata reader reads JSON, all of Critter's generated metadata included, and says where it stopped. */
class MetadataJsonTests {

    @Test
    void readsObjectsArraysStringsWithEscapesNumbersAndLiterals() {
        Map<String, Object> json = MetadataJson.parseObject("""
                { "groups": [ {"name": "critter", "type": "a.B$C"} ],
                  "properties": [ {"name": "critter.x", "defaultValue": [1, 2.5e1], "deprecated": false,
                                   "description": "tab\\there \\"q\\" \\u00e9", "hint": null, "empty": {}, "none": []} ] }
                """);

        assertThat(json).containsOnlyKeys("groups", "properties");
        assertThat(json.get("groups")).isEqualTo(List.of(Map.of("name", "critter", "type", "a.B$C")));
        Map<?, ?> property = (Map<?, ?>) ((List<?>) json.get("properties")).get(0);
        assertThat(property.get("defaultValue")).isEqualTo(List.of(1.0, 25.0));
        assertThat(property.get("deprecated")).isEqualTo(false);
        assertThat(property.get("description")).isEqualTo("tab\there \"q\" \u00e9");
        assertThat(property.containsKey("hint")).isTrue();
        assertThat(property.get("hint")).isNull();
        assertThat(property.get("empty")).isEqualTo(Map.of());
        assertThat(property.get("none")).isEqualTo(List.of());
    }

    @Test
    void readsEveryGroupAndPropertyOfCrittersGeneratedMetadata() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> named = new ArrayList<>();
        Matcher names = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
        while (names.find()) {
            named.add(names.group(1));
        }
        Map<String, Object> json = MetadataJson.parseObject(text);
        List<String> parsed = new ArrayList<>();
        for (String section : List.of("groups", "properties", "hints")) {
            for (Object item : (List<?>) json.getOrDefault(section, List.of())) {
                parsed.add(String.valueOf(((Map<?, ?>) item).get("name")));
            }
        }
        assertThat(parsed).isNotEmpty().containsExactlyInAnyOrderElementsOf(named);
    }

    @Test
    void brokenJsonFailsNamingThePosition() {
        assertThatThrownBy(() -> MetadataJson.parseObject("{\"a\": [1, }"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Expected a value at character 10 of configuration metadata");
        assertThatThrownBy(() -> MetadataJson.parseObject("[]")).hasMessageContaining("a single JSON object");
    }
}
