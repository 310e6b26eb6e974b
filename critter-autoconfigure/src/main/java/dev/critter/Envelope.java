package dev.critter;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;

/**
 * A message with its metadata, as it travels through Critter. Immutable; transports and the
 * runtime derive changed copies with {@link #toBuilder()}.
 *
 * <p>An envelope built with {@link Builder#stampOnFirstRead} takes its id (and its sent-at time,
 * unless given) the first time either is read, at once and then for good (thread-safe): a message
 * whose id nobody reads costs no UUID, and an inline invoke nobody inspects no clock read either.
 */
public final class Envelope {

    // Not final only for envelopes stamped on first read: written once, under this envelope's lock.
    private @Nullable UUID id;
    private final String messageType;
    private final Object message;
    private final Map<String, String> headers;
    private final @Nullable String tenantId;
    private final @Nullable String correlationId;
    private final @Nullable UUID causationId;
    private @Nullable Instant sentAt;
    // Non-null until an envelope built with stampOnFirstRead has been stamped.
    private @Nullable Clock stampClock;
    private @Nullable LongFunction<UUID> stampIds;
    private final @Nullable Instant scheduledAt;
    private final @Nullable Instant deliverBy;
    private final int attempts;
    private final @Nullable String source;
    private final @Nullable String replyTo;

    private Envelope(Builder b) {
        if (b.stampClock != null && b.id == null) {
            // Stamped on first read: the id always, sent-at too unless the builder has it.
            this.sentAt = b.sentAt;
            this.stampClock = b.stampClock;
            this.stampIds = b.stampIds;
        } else {
            this.id = Objects.requireNonNull(b.id, "id");
            this.sentAt = Objects.requireNonNull(b.sentAt, "sentAt");
        }
        this.messageType = Objects.requireNonNull(b.messageType, "messageType");
        this.message = Objects.requireNonNull(b.message, "message");
        this.headers = b.headers == null || b.headers.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.tenantId = b.tenantId;
        this.correlationId = b.correlationId;
        this.causationId = b.causationId;
        this.scheduledAt = b.scheduledAt;
        this.deliverBy = b.deliverBy;
        this.attempts = b.attempts;
        this.source = b.source;
        this.replyTo = b.replyTo;
    }

    private Envelope(Object message, String messageType, DeliveryOptions options, @Nullable Envelope parent,
                     @Nullable Instant sentAt, @Nullable String source, Clock clock, LongFunction<UUID> idForMillis) {
        this.messageType = Objects.requireNonNull(messageType, "messageType");
        this.message = Objects.requireNonNull(message, "message");
        this.sentAt = sentAt;
        this.stampClock = Objects.requireNonNull(clock, "clock");
        this.stampIds = Objects.requireNonNull(idForMillis, "idForMillis");
        Map<String, String> given = options.headers();
        this.headers = given.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(given));
        this.tenantId = options.tenantId() != null ? options.tenantId() : parent != null ? parent.tenantId : null;
        // Left unset for a root message: correlationId() then answers with the id, so no string is
        // built per message unless someone reads it.
        this.correlationId = options.correlationId() != null ? options.correlationId()
                : parent != null ? parent.correlationId() : null;
        this.causationId = parent != null ? parent.id() : null;
        this.scheduledAt = sentAt != null ? options.dueAt(sentAt) : null;
        this.deliverBy = sentAt != null && options.deliverWithin() != null ? sentAt.plus(options.deliverWithin()) : null;
        this.attempts = 0;
        this.source = source;
        this.replyTo = null;
    }

    /**
     * Creates the envelope of a message published now, as Critter's runtime does for each publish,
     * without a builder (one per message is an allocation the JIT does not always remove). Tenant
     * and correlation come from the options, else from the parent; causation is the parent's id;
     * the due time and deliver-by follow from sent-at and the options. The id is made from sent-at
     * the first time it is read.
     * @param message the message
     * @param messageType its type name
     * @param options the publisher's options
     * @param parent the envelope of the handler publishing it, if any
     * @param sentAt when it is sent; {@code null} to read it from {@code clock}, with the id, when
     *               first read (only for a message handled at once, with no timing options)
     * @param source the sending service's name
     * @param clock the clock an unset sent-at is read from
     * @param idForMillis makes the id from the sent-at time in epoch milliseconds
     * @return the envelope
     */
    public static Envelope published(Object message, String messageType, DeliveryOptions options,
                                     @Nullable Envelope parent, @Nullable Instant sentAt, @Nullable String source,
                                     Clock clock, LongFunction<UUID> idForMillis) {
        if (sentAt == null && (options.delay() != null || options.scheduledAt() != null
                || options.deliverWithin() != null)) {
            throw new IllegalArgumentException("A delayed, scheduled or expiring message needs its sent-at time");
        }
        return new Envelope(message, messageType, options, parent, sentAt, source, clock, idForMillis);
    }

    private Envelope(Envelope other, int attempts) {
        // Stamps the original first, so both copies share one id and time.
        this.id = other.id();
        this.sentAt = other.sentAt();
        this.messageType = other.messageType;
        this.message = other.message;
        this.headers = other.headers;
        this.tenantId = other.tenantId;
        this.correlationId = other.correlationId;
        this.causationId = other.causationId;
        this.scheduledAt = other.scheduledAt;
        this.deliverBy = other.deliverBy;
        this.attempts = attempts;
        this.source = other.source;
        this.replyTo = other.replyTo;
    }

    /**
     * Copies this envelope with another attempt count.
     * @param attempts the attempt count of the copy
     * @return this envelope with another attempt count (cheap: nothing else is copied)
     */
    public Envelope withAttempts(int attempts) {
        return attempts == this.attempts ? this : new Envelope(this, attempts);
    }

    /**
     * Returns a builder for a new envelope.
     * @return a builder for a new envelope
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder pre-filled with this envelope's values.
     * @return a builder pre-filled with this envelope's values
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id();
        b.messageType = messageType;
        b.message = message;
        if (!headers.isEmpty()) {
            b.headers = new LinkedHashMap<>(headers);
        }
        b.tenantId = tenantId;
        b.correlationId = correlationId;
        b.causationId = causationId;
        b.sentAt = sentAt();
        b.scheduledAt = scheduledAt;
        b.deliverBy = deliverBy;
        b.attempts = attempts;
        b.source = source;
        b.replyTo = replyTo;
        return b;
    }

    /**
     * Returns the envelope id, a time-ordered UUID.
     * @return the envelope id, a time-ordered UUID
     */
    public UUID id() {
        UUID value = id;
        if (value == null) {
            stamp();
            value = id;
        }
        return value;
    }

    /** Takes id and sent-at together, once; only envelopes built with stampOnFirstRead get here. */
    private synchronized void stamp() {
        if (id == null) {
            Instant at = sentAt != null ? sentAt : stampClock.instant();
            sentAt = at;
            id = stampIds.apply(at.toEpochMilli());
            stampClock = null;
            stampIds = null;
        }
    }

    /**
     * Returns the message type name (class name or {@link MessageIdentity} alias).
     * @return the message type name (class name or {@link MessageIdentity} alias)
     */
    public String messageType() { return messageType; }

    /**
     * Returns the message itself.
     * @return the message itself
     */
    public Object message() { return message; }

    /**
     * Returns the headers, unmodifiable.
     * @return the headers, unmodifiable
     */
    public Map<String, String> headers() { return headers; }

    /**
     * Returns the tenant id, or {@code null}.
     * @return the tenant id, or {@code null}
     */
    public @Nullable String tenantId() { return tenantId; }

    /**
     * Returns the correlation id.
     * @return the correlation id; when none was set, the envelope's own id as text (a message
     * that starts a conversation correlates its cascades with itself)
     */
    public String correlationId() {
        return correlationId != null ? correlationId : id().toString();
    }

    /**
     * Returns the id of the envelope whose handler published this one, or {@code null}.
     * @return the id of the envelope whose handler published this one, or {@code null}
     */
    public @Nullable UUID causationId() { return causationId; }

    /**
     * Returns when the message was published.
     * @return when the message was published
     */
    public Instant sentAt() {
        Instant value = sentAt;
        if (value == null) {
            stamp();
            value = sentAt;
        }
        return value;
    }

    /**
     * Returns when the message is due, or {@code null} for at once.
     * @return when the message is due, or {@code null} for at once
     */
    public @Nullable Instant scheduledAt() { return scheduledAt; }

    /**
     * Returns after this instant the message is expired and discarded, or {@code null}.
     * @return after this instant the message is expired and discarded, or {@code null}
     */
    public @Nullable Instant deliverBy() { return deliverBy; }

    /**
     * Returns how many handling attempts were made before the current one.
     * @return how many handling attempts were made before the current one: 0 while a message is
     * handled for the first time; on a dead letter, every attempt made
     */
    public int attempts() { return attempts; }

    /**
     * Returns the node or service that published the message, or {@code null}.
     * @return the node or service that published the message, or {@code null}
     */
    public @Nullable String source() { return source; }

    /**
     * Returns where a reply should go, or {@code null} when nobody waits for one.
     * @return where a reply should go, or {@code null} when nobody waits for one
     */
    public @Nullable String replyTo() { return replyTo; }

    /**
     * Tells whether the message is past its deliver-by time.
     * @param now the current time
     * @return whether the message is past its deliver-by time
     */
    public boolean isExpired(Instant now) {
        return deliverBy != null && now.isAfter(deliverBy);
    }

    @Override
    public String toString() {
        return "Envelope[id=" + id() + ", type=" + messageType + ", attempts=" + attempts
                + (tenantId != null ? ", tenant=" + tenantId : "") + "]";
    }

    /** Builds envelopes; used by the runtime and by transports that read them off the wire. */
    public static final class Builder {
        private @Nullable UUID id;
        private @Nullable String messageType;
        private @Nullable Object message;
        private @Nullable Map<String, String> headers;
        private @Nullable String tenantId;
        private @Nullable String correlationId;
        private @Nullable UUID causationId;
        private @Nullable Instant sentAt;
        private @Nullable Instant scheduledAt;
        private @Nullable Instant deliverBy;
        private int attempts;
        private @Nullable String source;
        private @Nullable String replyTo;
        private @Nullable Clock stampClock;
        private @Nullable LongFunction<UUID> stampIds;

        private Builder() {
        }

        /**
         * Leaves the id, unless {@link #id} is given, to be made the first time it (or sent-at) is
         * read, from the sent-at time; and sent-at, unless {@link #sentAt} is given, to be read
         * from the clock at that moment. Leaving sent-at unset is for envelopes handled at once on
         * the publishing thread (an inline invoke): a queued envelope must carry the time it was
         * sent.
         * @param clock the clock sent-at is read from
         * @param idForMillis makes the id from the sent-at time in epoch milliseconds
         * @return this builder
         */
        public Builder stampOnFirstRead(Clock clock, LongFunction<UUID> idForMillis) {
            this.stampClock = Objects.requireNonNull(clock, "clock");
            this.stampIds = Objects.requireNonNull(idForMillis, "idForMillis");
            return this;
        }

        /**
         * Sets the envelope id.
         * @param id the envelope id
         * @return this builder
         */
        public Builder id(UUID id) { this.id = id; return this; }

        /**
         * Sets the message type name.
         * @param messageType the message type name
         * @return this builder
         */
        public Builder messageType(String messageType) { this.messageType = messageType; return this; }

        /**
         * Sets the message.
         * @param message the message
         * @return this builder
         */
        public Builder message(Object message) { this.message = message; return this; }

        /**
         * Sets header name.
         * @param name header name
         * @param value header value; {@code null} removes it
         * @return this builder
         */
        public Builder header(String name, @Nullable String value) {
            if (value == null) {
                if (headers != null) {
                    headers.remove(name);
                }
            } else {
                if (headers == null) {
                    headers = new LinkedHashMap<>();
                }
                headers.put(name, value);
            }
            return this;
        }

        /**
         * Sets headers to add.
         * @param headers headers to add
         * @return this builder
         */
        public Builder headers(Map<String, String> headers) {
            if (headers.isEmpty()) {
                return this;
            }
            // A loop rather than headers.forEach(this::header): the method reference would make the
            // builder escape, costing an allocation per envelope even without headers.
            for (Map.Entry<String, String> header : headers.entrySet()) {
                header(header.getKey(), header.getValue());
            }
            return this;
        }

        /**
         * Sets the tenant id.
         * @param tenantId the tenant id
         * @return this builder
         */
        public Builder tenantId(@Nullable String tenantId) { this.tenantId = tenantId; return this; }

        /**
         * Sets the correlation id.
         * @param correlationId the correlation id
         * @return this builder
         */
        public Builder correlationId(@Nullable String correlationId) { this.correlationId = correlationId; return this; }

        /**
         * Sets the parent envelope id.
         * @param causationId the parent envelope id
         * @return this builder
         */
        public Builder causationId(@Nullable UUID causationId) { this.causationId = causationId; return this; }

        /**
         * Sets when the message was published.
         * @param sentAt when the message was published
         * @return this builder
         */
        public Builder sentAt(Instant sentAt) { this.sentAt = sentAt; return this; }

        /**
         * Sets when it is due.
         * @param scheduledAt when it is due
         * @return this builder
         */
        public Builder scheduledAt(@Nullable Instant scheduledAt) { this.scheduledAt = scheduledAt; return this; }

        /**
         * Sets expiry instant.
         * @param deliverBy expiry instant
         * @return this builder
         */
        public Builder deliverBy(@Nullable Instant deliverBy) { this.deliverBy = deliverBy; return this; }

        /**
         * Sets handling attempts so far.
         * @param attempts handling attempts so far
         * @return this builder
         */
        public Builder attempts(int attempts) { this.attempts = attempts; return this; }

        /**
         * Sets publishing node or service.
         * @param source publishing node or service
         * @return this builder
         */
        public Builder source(@Nullable String source) { this.source = source; return this; }

        /**
         * Sets reply address.
         * @param replyTo reply address
         * @return this builder
         */
        public Builder replyTo(@Nullable String replyTo) { this.replyTo = replyTo; return this; }

        /**
         * Returns the envelope.
         * @return the envelope
         */
        public Envelope build() { return new Envelope(this); }
    }
}
