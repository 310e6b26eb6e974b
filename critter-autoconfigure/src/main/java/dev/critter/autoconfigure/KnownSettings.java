package dev.critter.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.critter.autoconfigure.durability.DurabilityProperties;
import dev.critter.autoconfigure.rabbitmq.CritterRabbitProperties;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The tree of valid setting names under {@code critter}, built as Spring Boot binds them: from the
 * {@code @ConfigurationProperties} types the generated metadata names (all Critter modules, so a
 * class another auto-configuration binds counts even when its condition is off), walked
 * property by property so map values and list elements are described too (the configuration
 * processor stops at {@code Map<String, Queue>}), plus every key the metadata lists on its own.
 */
final class KnownSettings {

    static final String PREFIX = "critter";

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final int MAX_DEPTH = 8;

    private final Node root = new Node();

    private KnownSettings() {
    }

    /**
     * @param classLoader loads the metadata and the properties classes
     * @return the settings of every properties class under {@code critter} on the class path
     */
    static KnownSettings load(ClassLoader classLoader) {
        KnownSettings settings = new KnownSettings();
        settings.root.merge(typeNode(ResolvableType.forClass(CritterProperties.class), 0));
        for (Map<String, Object> metadata : metadata(classLoader)) {
            settings.addGroups(metadata, classLoader);
            settings.addProperties(metadata);
        }
        return settings;
    }

    /**
     * The settings of Critter's own properties classes, without reading any jar's configuration
     * metadata: enough to accept every key an application sets for Critter itself. Every key it
     * knows, {@link #load} knows too.
     * @return the settings under {@code critter}, {@code critter.durability} and {@code critter.rabbitmq}
     */
    static KnownSettings critterOwn() {
        KnownSettings settings = new KnownSettings();
        settings.root.merge(typeNode(ResolvableType.forClass(CritterProperties.class), 0));
        settings.nodeAt(PREFIX + ".durability").merge(typeNode(ResolvableType.forClass(DurabilityProperties.class), 0));
        settings.nodeAt(PREFIX + ".rabbitmq").merge(typeNode(ResolvableType.forClass(CritterRabbitProperties.class), 0));
        return settings;
    }

    /**
     * Returns the node of {@code critter} itself.
     * @return the node of {@code critter} itself
     */
    Node root() {
        return root;
    }

    private void addGroups(Map<String, Object> metadata, ClassLoader classLoader) {
        for (Map<String, Object> group : entries(metadata, "groups")) {
            String name = String.valueOf(group.get("name"));
            Object type = group.get("type");
            // A nested group (it has a source method) is walked with the class that holds it.
            if (!isCritterKey(name) || type == null || group.get("sourceMethod") != null
                    || (name.equals(PREFIX) && CritterProperties.class.getName().equals(type))) {
                continue;
            }
            Node node;
            try {
                Class<?> resolved = ClassUtils.forName(String.valueOf(type), classLoader);
                node = typeNode(ResolvableType.forClass(resolved), 0);
            } catch (ClassNotFoundException | LinkageError ex) {
                // A group whose class cannot be loaded here (an optional dependency is missing):
                // accept anything below it rather than reject keys we cannot check.
                node = Node.open();
            }
            nodeAt(name).merge(node);
        }
    }

    private void addProperties(Map<String, Object> metadata) {
        for (Map<String, Object> property : entries(metadata, "properties")) {
            String name = String.valueOf(property.get("name"));
            if (!isCritterKey(name) || name.equals(PREFIX)) {
                continue;
            }
            Node node = nodeAt(name);
            String type = String.valueOf(property.get("type"));
            if (node.isLeaf() && (type.startsWith("java.util.Map") || type.contains("<"))) {
                node.open = true;
            }
        }
    }

    private Node nodeAt(String dottedName) {
        Node node = root;
        for (String part : dottedName.substring(PREFIX.length()).split("\\.")) {
            if (!part.isEmpty()) {
                node = node.children.computeIfAbsent(uniform(part), key -> new Node(part));
            }
        }
        return node;
    }

    private static boolean isCritterKey(String name) {
        return name.equals(PREFIX) || name.startsWith(PREFIX + ".");
    }

    static Node typeNode(ResolvableType type, int depth) {
        Class<?> raw = type.resolve(Object.class);
        if (depth > MAX_DEPTH || raw == Object.class) {
            return Node.open();
        }
        if (Map.class.isAssignableFrom(raw)) {
            Node node = new Node();
            node.anyKey = typeNode(type.asMap().getGeneric(1), depth + 1);
            return node;
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            Node node = new Node();
            node.element = typeNode(raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0),
                    depth + 1);
            return node;
        }
        if (!isDataObject(raw)) {
            return new Node();
        }
        Node node = new Node();
        properties(type, raw).forEach((name, propertyType) ->
                node.children.put(uniform(name), typeNode(propertyType, depth + 1).named(name)));
        return node;
    }

    /** Bound property names (dashed) and types of a data object, as Boot's binders see them. */
    private static Map<String, ResolvableType> properties(ResolvableType type, Class<?> raw) {
        Map<String, ResolvableType> properties = new TreeMap<>();
        if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                properties.put(DataObjectPropertyName.toDashedForm(component.getName()),
                        ResolvableType.forType(component.getGenericType(), type));
            }
            return properties;
        }
        Map<String, Method> getters = new TreeMap<>();
        Set<String> setters = new HashSet<>();
        for (Method method : raw.getMethods()) {
            if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = method.getName();
            if (method.getParameterCount() == 0 && name.length() > 3 && name.startsWith("get")) {
                getters.put(StringUtils.uncapitalizeAsProperty(name.substring(3)), method);
            } else if (method.getParameterCount() == 0 && name.length() > 2 && name.startsWith("is")
                    && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
                getters.put(StringUtils.uncapitalizeAsProperty(name.substring(2)), method);
            } else if (method.getParameterCount() == 1 && name.length() > 3 && name.startsWith("set")) {
                setters.add(StringUtils.uncapitalizeAsProperty(name.substring(3)));
            }
        }
        getters.forEach((name, getter) -> {
            ResolvableType propertyType = ResolvableType.forMethodReturnType(getter, raw);
            // Boot binds a property with a setter, or a nested object through its getter alone.
            if (setters.contains(name) || isDataObject(propertyType.resolve(Object.class))) {
                properties.put(DataObjectPropertyName.toDashedForm(name), propertyType);
            }
        });
        if (properties.isEmpty()) {
            Constructor<?>[] constructors = raw.getConstructors();
            if (constructors.length == 1 && constructors[0].getParameterCount() > 0) {
                Constructor<?> constructor = constructors[0];
                for (int i = 0; i < constructor.getParameterCount(); i++) {
                    properties.put(DataObjectPropertyName.toDashedForm(constructor.getParameters()[i].getName()),
                            ResolvableType.forConstructorParameter(constructor, i, raw));
                }
            }
        }
        return properties;
    }

    /** A type Boot binds property by property (not a value converted from one string). */
    private static boolean isDataObject(Class<?> type) {
        return !type.isPrimitive() && !type.isEnum() && !type.isArray() && !type.isInterface()
                && !Modifier.isAbstract(type.getModifiers()) && !type.getName().startsWith("java.")
                && !type.getName().startsWith("javax.") && !type.getName().startsWith("org.springframework.");
    }

    /** Boot's uniform form of one name element: lower case, letters and digits only. */
    static String uniform(String element) {
        StringBuilder s = new StringBuilder(element.length());
        for (char c : element.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> metadata, String key) {
        Object list = metadata.get(key);
        if (!(list instanceof List<?> items)) {
            return List.of();
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map<?, ?> map) {
                entries.add((Map<String, Object>) map);
            }
        }
        return entries;
    }

    private static List<Map<String, Object>> metadata(ClassLoader classLoader) {
        List<Map<String, Object>> all = new ArrayList<>();
        try {
            Enumeration<URL> resources = classLoader.getResources(METADATA);
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream()) {
                    String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    // Most jars (Spring Boot's own: hundreds of keys) say nothing about critter:
                    // skip them unparsed.
                    if (json.contains("\"" + PREFIX + "\"") || json.contains("\"" + PREFIX + ".")) {
                        all.add(MetadataJson.parseObject(json));
                    }
                }
            }
        } catch (IOException ex) {
            throw new IllegalStateException("Cannot read " + METADATA + " to check critter.* keys", ex);
        }
        return all;
    }

    /** One name in the tree: its named children, or any key (a map), or indexed elements (a list). */
    static final class Node {

        private final Map<String, Node> children = new TreeMap<>();
        private @Nullable String name;
        private @Nullable Node anyKey;
        private @Nullable Node element;
        private boolean open;

        Node() {
        }

        private Node(String name) {
            this.name = name;
        }

        static Node open() {
            Node node = new Node();
            node.open = true;
            return node;
        }

        private Node named(String dashedName) {
            this.name = dashedName;
            return this;
        }

        /**
         * Returns whether any name below this one is valid (its structure is unknown).
         * @return whether any name below this one is valid (its structure is unknown)
         */
        boolean isOpen() {
            return open;
        }

        /**
         * Returns whether this name takes a value and has nothing below it.
         * @return whether this name takes a value and has nothing below it
         */
        boolean isLeaf() {
            return children.isEmpty() && anyKey == null && element == null && !open;
        }

        /**
         * Returns the node of a map value, when this is a map.
         * @return the node of a map value, when this is a map
         */
        @Nullable Node anyKey() {
            return anyKey;
        }

        /**
         * Returns the node of a list element, when this is a list.
         * @return the node of a list element, when this is a list
         */
        @Nullable Node element() {
            return element;
        }

        /**
         * Returns the child of that name.
         * @param uniformName a name element in Boot's uniform form
         * @return the child of that name
         */
        @Nullable Node child(String uniformName) {
            return children.get(uniformName);
        }

        /**
         * Returns the names of the named children, dashed.
         * @return the names of the named children, dashed
         */
        List<String> childNames() {
            return children.values().stream().map(c -> c.name == null ? "?" : c.name).toList();
        }

        void merge(Node other) {
            open |= other.open;
            if (name == null) {
                name = other.name;
            }
            if (other.anyKey != null) {
                anyKey = anyKey == null ? other.anyKey : anyKey.mergedWith(other.anyKey);
            }
            if (other.element != null) {
                element = element == null ? other.element : element.mergedWith(other.element);
            }
            other.children.forEach((key, child) -> {
                Node existing = children.get(key);
                if (existing == null) {
                    children.put(key, child);
                } else {
                    existing.merge(child);
                }
            });
        }

        private Node mergedWith(Node other) {
            merge(other);
            return this;
        }
    }
}
