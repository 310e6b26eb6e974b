package dev.critter.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.critter.Envelope;

/** The messages of one kind of event in a session (each message once, in event order). */
public final class TrackedMessages {

    private final String kind;
    private final List<Envelope> envelopes;
    private final Supplier<String> table;

    TrackedMessages(String kind, List<TrackedEvent> events, Supplier<String> table) {
        Map<UUID, Envelope> distinct = new LinkedHashMap<>();
        events.forEach(e -> distinct.putIfAbsent(e.envelope().id(), e.envelope()));
        this.kind = kind;
        this.envelopes = List.copyOf(distinct.values());
        this.table = table;
    }

    /**
     * Returns the one message of a type.
     * @param type the expected message type
     * @param <T> the message type
     * @return the one message of that type
     * @throws TrackingException when there is none or more than one, with the activity table
     */
    public <T> T singleMessage(Class<T> type) {
        List<T> found = messagesOf(type);
        if (found.size() != 1) {
            throw new TrackingException("Expected exactly one " + type.getName() + " " + kind + ", found "
                    + found.size() + "\n" + table.get());
        }
        return found.get(0);
    }

    /**
     * Returns the messages of a type.
     * @param type a message type (subtypes included)
     * @param <T> the message type
     * @return the messages of that type, in event order
     */
    public <T> List<T> messagesOf(Class<T> type) {
        return envelopes.stream().map(Envelope::message).filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Returns the envelopes, in event order.
     * @return the envelopes, in event order
     */
    public List<Envelope> envelopes() {
        return envelopes;
    }

    /**
     * Returns how many distinct messages.
     * @return how many distinct messages
     */
    public int size() {
        return envelopes.size();
    }

    /**
     * Returns whether there is none.
     * @return whether there is none
     */
    public boolean isEmpty() {
        return envelopes.isEmpty();
    }

    @Override
    public String toString() {
        return kind + ": " + envelopes.stream().map(e -> e.messageType() + " " + e.id()).toList();
    }
}
