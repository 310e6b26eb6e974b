package dev.critter.durability.review.rolling.v2;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The message and handler of the release that added them (version 2 of a service). */
public final class Reminders {

    /** How many times each reminder was handled in this JVM. */
    public static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private Reminders() {
    }

    /**
     * A reminder, handled on this release's local queue.
     * @param id its id
     */
    public record Reminder(String id) {
    }

    /** Counts reminders. */
    public static class ReminderHandler {
        /** @param reminder the reminder */
        public void handle(Reminder reminder) {
            HANDLED.computeIfAbsent(reminder.id(), k -> new AtomicInteger()).incrementAndGet();
        }
    }
}
