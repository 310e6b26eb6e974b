package dev.critter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A handler return value listing several messages to cascade, each with its own options.
 * Iterating yields the messages themselves.
 */
public class OutgoingMessages implements Iterable<Object> {

    private final List<OutgoingMessage> entries = new ArrayList<>();

    /** Creates an empty list. */
    public OutgoingMessages() {
    }

    /**
     * Adds a message.
     * @param message a message published with default options
     * @return this list
     */
    public OutgoingMessages add(Object message) {
        return add(message, DeliveryOptions.none());
    }

    /**
     * Adds a message.
     * @param message a message
     * @param options its delivery options
     * @return this list
     */
    public OutgoingMessages add(Object message, DeliveryOptions options) {
        entries.add(new OutgoingMessage(message, options));
        return this;
    }

    /**
     * Adds a message delivered after a delay.
     * @param message a message
     * @param delay delivered after this delay
     * @return this list
     */
    public OutgoingMessages delay(Object message, Duration delay) {
        entries.add(Messages.delayed(message, delay));
        return this;
    }

    /**
     * Adds a message delivered at an instant.
     * @param message a message
     * @param at delivered at this instant
     * @return this list
     */
    public OutgoingMessages schedule(Object message, Instant at) {
        entries.add(Messages.scheduledAt(message, at));
        return this;
    }

    /**
     * Returns the messages with their options, in the order added.
     * @return the messages with their options, in the order added
     */
    public List<OutgoingMessage> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * Returns how many messages are listed.
     * @return how many messages are listed
     */
    public int size() {
        return entries.size();
    }

    @Override
    public Iterator<Object> iterator() {
        Iterator<OutgoingMessage> it = entries.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object next() {
                return it.next().message();
            }
        };
    }
}
