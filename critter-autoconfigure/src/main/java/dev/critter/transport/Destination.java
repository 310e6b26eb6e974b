package dev.critter.transport;

import java.util.Objects;

/**
 * Where messages go, as a typed value: the transport's scheme and the name within it, e.g.
 * {@code local://orders} or {@code rabbitmq://exchange/orders/created}. Configuration and stored
 * rows carry the text form; it is parsed here, once, at the edge.
 * @param scheme the transport's scheme, e.g. {@code local}
 * @param name the endpoint's name within the transport, e.g. {@code orders}
 */
public record Destination(String scheme, String name) {

    private static final String SEPARATOR = "://";

    /**
     * Checks the parts.
     * @param scheme the transport's scheme, e.g. {@code local}
     * @param name the endpoint's name within the transport, e.g. {@code orders}
     */
    public Destination {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(name, "name");
        if (scheme.isBlank() || scheme.contains(":") || scheme.contains("/")) {
            throw new IllegalArgumentException("Destination scheme must be a plain word, was '" + scheme + "'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("Destination name must not be blank (scheme " + scheme + ")");
        }
    }

    /**
     * Reads the text form of a destination.
     * @param text e.g. {@code local://orders}
     * @return the destination
     * @throws IllegalArgumentException when the text is not {@code scheme://name}
     */
    public static Destination parse(String text) {
        Objects.requireNonNull(text, "text");
        int separator = text.indexOf(SEPARATOR);
        if (separator <= 0 || separator + SEPARATOR.length() >= text.length()) {
            throw new IllegalArgumentException("Not a destination (scheme://name): '" + text + "'");
        }
        return new Destination(text.substring(0, separator), text.substring(separator + SEPARATOR.length()));
    }

    /**
     * Tells whether this destination belongs to a transport.
     * @param transportScheme a transport's scheme
     * @return whether the schemes are equal
     */
    public boolean hasScheme(String transportScheme) {
        return scheme.equals(transportScheme);
    }

    /**
     * Returns the text form, {@code scheme://name}.
     * @return the text form, {@code scheme://name}
     */
    @Override
    public String toString() {
        return scheme + SEPARATOR + name;
    }
}
