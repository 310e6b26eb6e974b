package dev.critter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads configuration metadata JSON into maps and lists, in one linear pass. Boot's
 * {@code BasicJsonParser} re-splits nested text and takes 15-90 ms for Critter's 6 KB file at
 * every start-up; Jackson is not on the class path of every application.
 */
final class MetadataJson {

    private final String text;
    private int position;

    private MetadataJson(String text) {
        this.text = text;
    }

    /**
     * Parses a JSON object.
     * @param json the text of a JSON object
     * @return its members; objects as maps, arrays as lists, numbers as doubles
     * @throws IllegalArgumentException when the text is not JSON
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        MetadataJson reader = new MetadataJson(json);
        Object value = reader.value();
        reader.skipWhitespace();
        if (!(value instanceof Map) || reader.position != json.length()) {
            throw reader.error("a single JSON object");
        }
        return (Map<String, Object>) value;
    }

    private @Nullable Object value() {
        skipWhitespace();
        char c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return members;
        }
        while (true) {
            skipWhitespace();
            String key = string();
            skipWhitespace();
            expect(':');
            members.put(key, value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array() {
        List<Object> items = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return items;
        }
        while (true) {
            items.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                return items;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return s.toString();
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    s.append((char) Integer.parseInt(text, position, position + 4, 16));
                    position += 4;
                }
                default -> s.append(escaped);
            }
        }
    }

    private Object number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        if (start == position) {
            throw error("a value");
        }
        return Double.parseDouble(text.substring(start, position));
    }

    private @Nullable Object literal(String word, @Nullable Object value) {
        if (!text.startsWith(word, position)) {
            throw error(word);
        }
        position += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private char peek() {
        if (position >= text.length()) {
            throw error("more JSON");
        }
        return text.charAt(position);
    }

    private char next() {
        char c = peek();
        position++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            position--;
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("Expected " + expected + " at character " + position
                + " of configuration metadata");
    }
}
