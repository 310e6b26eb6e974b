package dev.critter.testing;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one tracked action caused: every message, cascade, failure and dead letter, in order.
 */
public final class TrackedSession {

    private final List<TrackedEvent> events;
    private final String table;

    TrackedSession(List<TrackedEvent> events, String table) {
        this.events = List.copyOf(events);
        this.table = table;
    }

    /**
     * Returns messages a handler ran successfully.
     * @return messages a handler ran successfully
     */
    public TrackedMessages executed() {
        return of("executed", EnumSet.of(TrackedEvent.Kind.EXECUTED));
    }

    /**
     * Returns messages handed to a destination or stored until due.
     * @return messages handed to a destination or stored until due
     */
    public TrackedMessages sent() {
        return of("sent", EnumSet.of(TrackedEvent.Kind.SENT, TrackedEvent.Kind.SCHEDULED));
    }

    /**
     * Returns messages a worker took from a destination.
     * @return messages a worker took from a destination
     */
    public TrackedMessages received() {
        return of("received", EnumSet.of(TrackedEvent.Kind.RECEIVED));
    }

    /**
     * Returns messages published without any route.
     * @return messages published without any route
     */
    public TrackedMessages noRoutes() {
        return of("without route", EnumSet.of(TrackedEvent.Kind.NO_ROUTES));
    }

    /**
     * Returns messages no handler took.
     * @return messages no handler took
     */
    public TrackedMessages noHandlers() {
        return of("without handler", EnumSet.of(TrackedEvent.Kind.NO_HANDLERS));
    }

    /**
     * Returns messages moved to the dead letters.
     * @return messages moved to the dead letters
     */
    public TrackedMessages deadLettered() {
        return of("dead-lettered", EnumSet.of(TrackedEvent.Kind.DEAD_LETTERED));
    }

    /**
     * Returns messages a handler threw on (at least once).
     * @return messages a handler threw on (at least once)
     */
    public TrackedMessages failed() {
        return of("failed", EnumSet.of(TrackedEvent.Kind.FAILED));
    }

    /**
     * Returns every message the session saw.
     * @return every message the session saw
     */
    public TrackedMessages all() {
        return of("tracked", EnumSet.allOf(TrackedEvent.Kind.class));
    }

    /**
     * Returns every event, in order.
     * @return every event, in order
     */
    public List<TrackedEvent> events() {
        return events;
    }

    /**
     * Returns the activity table: one line per event with time, event, type, id and detail.
     * @return the activity table: one line per event with time, event, type, id and detail
     */
    public String activityTable() {
        return table;
    }

    private TrackedMessages of(String kind, Set<TrackedEvent.Kind> kinds) {
        return new TrackedMessages(kind, events.stream().filter(e -> kinds.contains(e.kind())).toList(),
                () -> table);
    }

    @Override
    public String toString() {
        return table;
    }
}
