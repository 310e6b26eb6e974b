package dev.critter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.critter.CritterConfigurationException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails start-up on a {@code critter.*} key that no setting has, naming the nearest valid key
 * ("unknown setting `parallelizm` in critter.local.queues.sign-up-request; did you mean
 * `parallelism`?"): a misspelled key would otherwise be ignored without a word. The names come
 * from Boot's {@link ConfigurationPropertySources}, so every source and syntax (properties, YAML,
 * command line, camelCase or kebab-case) is read as Boot binds it.
 */
final class UnknownSettingsCheck {

    private static final ConfigurationPropertyName CRITTER = ConfigurationPropertyName.of(KnownSettings.PREFIX);

    private final KnownSettings known;

    UnknownSettingsCheck(KnownSettings known) {
        this.known = known;
    }

    /**
     * @param environment the application's environment
     * @param classLoader loads the configuration metadata and properties classes; null for Critter's own
     * @throws CritterConfigurationException naming the first unknown key and the nearest valid one
     */
    static void check(Environment environment, @Nullable ClassLoader classLoader) {
        if (environment instanceof ConfigurableEnvironment configurable) {
            Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(configurable);
            // Reading every jar's configuration metadata cost 10-14 ms of start-up; Critter's own
            // properties classes know every key an application sets for Critter, so the metadata
            // (which may add critter.* keys of other libraries) is read only for a key they lack.
            if (new UnknownSettingsCheck(KnownSettings.critterOwn()).unknown(sources).isEmpty()) {
                return;
            }
            KnownSettings known = KnownSettings.load(classLoader != null ? classLoader
                    : UnknownSettingsCheck.class.getClassLoader());
            new UnknownSettingsCheck(known).check(sources);
        }
    }

    void check(Iterable<ConfigurationPropertySource> sources) {
        Map<String, Unknown> unknown = unknown(sources);
        if (!unknown.isEmpty()) {
            throw failure(new ArrayList<>(unknown.values()));
        }
    }

    /** The unknown keys found, by key, in the order found. */
    Map<String, Unknown> unknown(Iterable<ConfigurationPropertySource> sources) {
        Map<String, Unknown> unknown = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : sources) {
            // Environment variable names cannot tell a dash from a dot (CRITTER_LOCAL_DEFAULT_CAPACITY),
            // so they are not checked, as Boot's own unknown-field check does not check them.
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            iterable.stream().filter(CRITTER::isAncestorOf).forEach(name -> {
                Unknown found = find(name, source);
                if (found != null) {
                    unknown.putIfAbsent(found.key(), found);
                }
            });
        }
        return unknown;
    }

    /**
     * Returns the first element of the name that no setting has, or null when the name is valid.
     * @return the first element of the name that no setting has, or null when the name is valid
     */
    @Nullable Unknown find(ConfigurationPropertyName name, ConfigurationPropertySource source) {
        KnownSettings.Node node = known.root();
        boolean afterMapKey = false;
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            if (node.isOpen()) {
                return null;
            }
            KnownSettings.Node next;
            boolean mapKey = node.anyKey() != null;
            if (mapKey) {
                next = node.anyKey();
            } else if (node.element() != null && name.isNumericIndex(i)) {
                next = node.element();
            } else {
                next = node.child(KnownSettings.uniform(name.getElement(i, Form.UNIFORM)));
            }
            if (next == null) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                Origin origin = property != null ? property.getOrigin() : null;
                return new Unknown(name.getElement(i, Form.DASHED), name.chop(i).toString(), node.childNames(),
                        origin != null ? origin.toString() : null, afterMapKey);
            }
            afterMapKey = mapKey;
            node = next;
        }
        return null;
    }

    private static CritterConfigurationException failure(List<Unknown> unknown) {
        Unknown first = unknown.get(0);
        String nearest = Nearest.of(first.element(), first.validNames());
        StringBuilder problem = new StringBuilder("unknown setting `").append(first.element()).append("` in ")
                .append(first.parent());
        if (nearest != null) {
            problem.append("; did you mean `").append(nearest).append("`?");
        }
        if (first.origin() != null) {
            problem.append(" (set in ").append(first.origin()).append(')');
        }
        if (unknown.size() > 1) {
            problem.append("; also unknown: ").append(String.join(", ", unknown.subList(1, unknown.size()).stream()
                    .map(Unknown::key).toList()));
        }
        String fix;
        if (nearest != null) {
            fix = "Rename it to " + first.parent() + "." + nearest + " (docs/configuration.md lists every key)";
        } else if (first.validNames().isEmpty()) {
            fix = "Remove it: " + first.parent() + " takes a value and has no settings below it";
        } else {
            fix = "Remove it, or use one of the settings of " + first.parent() + ": " + first.validNames();
        }
        if (first.afterMapKey() && nearest == null) {
            // critter.local.queues.orders.v2.capacity binds queue "orders": a name with dots needs brackets.
            fix += "; a name containing dots goes in brackets: " + bracketed(first.parent(), first.element());
        }
        return new CritterConfigurationException(problem.toString(), fix);
    }

    private static String bracketed(String parent, String element) {
        int dot = parent.lastIndexOf('.');
        return parent.substring(0, dot) + "[" + parent.substring(dot + 1) + "." + element + "]";
    }

    /**
     * @param element the unknown name element, dashed
     * @param parent the valid name it sits under
     * @param validNames the settings valid at that place
     * @param origin where the key was set, when Boot knows
     * @param afterMapKey whether the parent's last element is a map key (a queue name, say)
     */
    record Unknown(String element, String parent, List<String> validNames, @Nullable String origin,
                   boolean afterMapKey) {

        String key() {
            return parent + "." + element;
        }
    }
}
