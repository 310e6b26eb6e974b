package dev.critter.transport;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.critter.CritterOptions;

/**
 * What a transport builds its endpoints from.
 * @param options the Java and property configuration: publishing rules, queue settings, error rules
 * @param handledTypes the message types some handler takes, in a stable order
 */
public record TransportConfiguration(CritterOptions options, Set<Class<?>> handledTypes) {

    /**
     * Copies the set.
     * @param options the Java and property configuration: publishing rules, queue settings, error rules
     * @param handledTypes the message types some handler takes, in a stable order
     */
    public TransportConfiguration {
        handledTypes = Collections.unmodifiableSet(new LinkedHashSet<>(handledTypes));
    }
}
