package dev.critter.observability;

/** Every metric and tag name Critter publishes; tests and dashboards use these constants. */
public final class CritterMetricNames {

    /** Counter: messages sent to a destination. Tags {@link #MESSAGE_TYPE}, {@link #DESTINATION}, {@link #TENANT}. */
    public static final String MESSAGES_PUBLISHED = "critter.messages.published";
    /** Timer: handler attempts. Tags {@link #MESSAGE_TYPE}, {@link #OUTCOME}, {@link #TENANT}. */
    public static final String MESSAGES_HANDLED = "critter.messages.handled";
    /** Counter: messages published without any route. Tag {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES_NO_ROUTE = "critter.messages.no-route";
    /** Counter: messages discarded because their deliver-by time passed. Tag {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES_EXPIRED = "critter.messages.expired";
    /** Counter: messages moved to the dead letters. Tags {@link #MESSAGE_TYPE}, {@link #TENANT}. */
    public static final String MESSAGES_DEAD_LETTERED = "critter.messages.dead-lettered";
    /** Gauge: messages waiting in a local queue. Tag {@link #QUEUE}. */
    public static final String QUEUE_DEPTH = "critter.queue.depth";

    /** Gauge: scheduled messages waiting for their due time. */
    public static final String SCHEDULED_PENDING = "critter.scheduled.pending";
    /** Gauge: dead letters stored. */
    public static final String DEAD_LETTERS = "critter.dead-letters";

    /** Tag: the message type name. */
    public static final String MESSAGE_TYPE = "message.type";
    /** Tag: the destination address, e.g. {@code local://orders}. */
    public static final String DESTINATION = "destination";
    /** Tag: {@link #SUCCESS} or {@link #FAILURE}. */
    public static final String OUTCOME = "outcome";
    /** Tag: the tenant id, or {@link #NO_TENANT}. */
    public static final String TENANT = "tenant";
    /** Tag: the local queue name. */
    public static final String QUEUE = "queue";

    /** Outcome of a handler attempt that returned normally. */
    public static final String SUCCESS = "success";
    /** Outcome of a handler attempt that threw. */
    public static final String FAILURE = "failure";
    /** Tenant tag value for messages without a tenant (or when tenant tagging is off). */
    public static final String NO_TENANT = "none";

    private CritterMetricNames() {
    }
}
