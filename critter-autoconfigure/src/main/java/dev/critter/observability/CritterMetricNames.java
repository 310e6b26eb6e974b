package dev.critter.observability;

/** Every metric, observation, tag and key name Critter publishes; tests and dashboards use these constants. */
public final class CritterMetricNames {

    /** Counter: messages sent to a destination. Tags {@link #MESSAGE_TYPE}, {@link #DESTINATION} ({@link #TENANT}). */
    public static final String MESSAGES_PUBLISHED = "critter.messages.published";
    /** Timer: handler attempts. Tags {@link #MESSAGE_TYPE}, {@link #OUTCOME}, {@link #EXCEPTION} ({@link #TENANT}). */
    public static final String MESSAGES_HANDLED = "critter.messages.handled";
    /** Counter: messages published without any route. Tag {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES_NO_ROUTE = "critter.messages.no-route";
    /** Counter: messages discarded because their deliver-by time passed. Tag {@link #MESSAGE_TYPE}. */
    public static final String MESSAGES_EXPIRED = "critter.messages.expired";
    /** Counter: messages moved to the dead letters. Tag {@link #MESSAGE_TYPE} ({@link #TENANT}). */
    public static final String MESSAGES_DEAD_LETTERED = "critter.messages.dead-lettered";
    /** Gauge: messages waiting in a local queue. Tag {@link #QUEUE}. */
    public static final String QUEUE_DEPTH = "critter.queue.depth";

    /** Gauge: scheduled messages waiting for their due time. */
    public static final String SCHEDULED_PENDING = "critter.scheduled.pending";
    /** Gauge: dead letters stored. */
    public static final String DEAD_LETTERS = "critter.dead-letters";
    /** Gauge (durability): outbox rows, messages their destination has not accepted yet. */
    public static final String OUTBOX_PENDING = "critter.outbox.pending";
    /** Gauge (durability), seconds: how long the oldest outbox row has been waiting; 0 when the outbox is empty. */
    public static final String OUTBOX_OLDEST_AGE = "critter.outbox.oldest.age";
    /**
     * Gauge (durability), seconds: how far past its due time the most overdue scheduled message that
     * no node has claimed yet is; 0 when none is overdue.
     */
    public static final String SCHEDULED_OVERDUE_AGE = "critter.scheduled.overdue.age";

    /** Counter (RabbitMQ): deliveries a listener received from the broker. Tag {@link #QUEUE}. */
    public static final String RABBITMQ_LISTENER_RECEIVED = "critter.rabbitmq.listener.received";
    /** Counter (RabbitMQ): deliveries a listener acknowledged to the broker. Tag {@link #QUEUE}. */
    public static final String RABBITMQ_LISTENER_ACKED = "critter.rabbitmq.listener.acked";
    /**
     * Counter (RabbitMQ): deliveries of a listener dead-lettered, bad input to its dead-letter queue and
     * messages whose handlers exhausted their error policy. Tag {@link #QUEUE}.
     */
    public static final String RABBITMQ_LISTENER_DEAD_LETTERED = "critter.rabbitmq.listener.dead-lettered";
    /** Counter (RabbitMQ): times a listener consumed again after losing its channel or connection. Tag {@link #QUEUE}. */
    public static final String RABBITMQ_LISTENER_RECOVERIES = "critter.rabbitmq.listener.recoveries";
    /** Gauge (RabbitMQ): 1 while a listener's consumer is confirmed by the broker on an open channel, else 0. Tag {@link #QUEUE}. */
    public static final String RABBITMQ_LISTENER_CONSUMING = "critter.rabbitmq.listener.consuming";

    /** Observation of one handler attempt (also the name of the timer Boot derives from it). */
    public static final String HANDLE_OBSERVATION = "critter.message.handle";
    /** Observation of one send of a message to a destination. */
    public static final String SEND_OBSERVATION = "critter.message.send";

    /** Tag: the message type name. */
    public static final String MESSAGE_TYPE = "message.type";
    /**
     * Tag: the destination address, e.g. {@code local://orders}; on a handling observation, where
     * the message arrived ({@code invoke} when run inline).
     */
    public static final String DESTINATION = "destination";
    /** Tag and observation key: {@link #SUCCESS} or {@link #FAILURE}. */
    public static final String OUTCOME = "outcome";
    /** Tag: the simple class name of what a failed attempt threw, or {@link #NO_EXCEPTION}. */
    public static final String EXCEPTION = "exception";
    /** Observation key: the handler, e.g. {@code OrderHandler.handle(PlaceOrder)}. */
    public static final String HANDLER = "handler";
    /** Observation key (high cardinality): the message id. */
    public static final String MESSAGE_ID = "message.id";
    /**
     * Tag (only with {@code critter.metrics.tenant-tag=true}) and high-cardinality observation
     * key: the tenant id, or {@link #NO_TENANT}.
     */
    public static final String TENANT = "tenant";
    /** Tag: the local queue name (RabbitMQ listener meters: the RabbitMQ queue consumed). */
    public static final String QUEUE = "queue";

    /** Outcome of a handler attempt that returned normally. */
    public static final String SUCCESS = "success";
    /** Outcome of a handler attempt that threw (or of a send the endpoint refused). */
    public static final String FAILURE = "failure";
    /** Exception tag value of an attempt that succeeded. */
    public static final String NO_EXCEPTION = "none";
    /** Tenant tag value for messages without a tenant. */
    public static final String NO_TENANT = "none";

    private CritterMetricNames() {
    }
}
