package dev.critter;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How to deliver one message: when, until when, for which tenant, with which correlation id and
 * headers. Immutable; build one with {@link #builder()}.
 */
public final class DeliveryOptions {

    private static final DeliveryOptions NONE = builder().build();

    private final @Nullable Duration delay;
    private final @Nullable Instant scheduledAt;
    private final @Nullable Duration deliverWithin;
    private final @Nullable String tenantId;
    private final @Nullable String correlationId;
    private final Map<String, String> headers;

    private DeliveryOptions(Builder b) {
        this.delay = b.delay;
        this.scheduledAt = b.scheduledAt;
        this.deliverWithin = b.deliverWithin;
        this.tenantId = b.tenantId;
        this.correlationId = b.correlationId;
        this.headers = b.headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    }

    /**
     * Returns a new builder.
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns options that change nothing.
     * @return options that change nothing
     */
    public static DeliveryOptions none() {
        return NONE;
    }

    /**
     * Returns the delay before delivery, or {@code null}.
     * @return the delay before delivery, or {@code null}
     */
    public @Nullable Duration delay() { return delay; }

    /**
     * Returns the instant of delivery, or {@code null}.
     * @return the instant of delivery, or {@code null}
     */
    public @Nullable Instant scheduledAt() { return scheduledAt; }

    /**
     * Returns the time to live counted from publishing, or {@code null}.
     * @return the time to live counted from publishing, or {@code null}
     */
    public @Nullable Duration deliverWithin() { return deliverWithin; }

    /**
     * Returns the tenant id, or {@code null} to inherit / leave unset.
     * @return the tenant id, or {@code null} to inherit / leave unset
     */
    public @Nullable String tenantId() { return tenantId; }

    /**
     * Returns the correlation id, or {@code null} to inherit / generate.
     * @return the correlation id, or {@code null} to inherit / generate
     */
    public @Nullable String correlationId() { return correlationId; }

    /**
     * Returns extra headers, unmodifiable.
     * @return extra headers, unmodifiable
     */
    public Map<String, String> headers() { return headers; }

    /**
     * Computes when the message is due.
     * @param sentAt when the message is published
     * @return when it is due: {@link #scheduledAt()}, else sent-at plus {@link #delay()}, else {@code null}
     */
    public @Nullable Instant dueAt(Instant sentAt) {
        if (scheduledAt != null) {
            return scheduledAt;
        }
        return delay == null ? null : sentAt.plus(delay);
    }

    @Override
    public String toString() {
        return "DeliveryOptions[delay=" + delay + ", scheduledAt=" + scheduledAt + ", deliverWithin=" + deliverWithin
                + ", tenantId=" + tenantId + ", correlationId=" + correlationId + ", headers=" + headers + "]";
    }

    /** Builds {@link DeliveryOptions}. */
    public static final class Builder {
        private @Nullable Duration delay;
        private @Nullable Instant scheduledAt;
        private @Nullable Duration deliverWithin;
        private @Nullable String tenantId;
        private @Nullable String correlationId;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets how long to wait before delivering.
         * @param delay how long to wait before delivering; not negative
         * @return this builder
         */
        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * Sets when to deliver.
         * @param scheduledAt when to deliver
         * @return this builder
         */
        public Builder scheduledAt(Instant scheduledAt) {
            this.scheduledAt = Objects.requireNonNull(scheduledAt, "scheduledAt");
            return this;
        }

        /**
         * Sets how long the message stays deliverable.
         * @param deliverWithin time to live from publishing; after it the message is discarded
         * @return this builder
         */
        public Builder deliverWithin(Duration deliverWithin) {
            Objects.requireNonNull(deliverWithin, "deliverWithin");
            if (deliverWithin.isNegative() || deliverWithin.isZero()) {
                throw new IllegalArgumentException("deliverWithin must be positive, was " + deliverWithin);
            }
            this.deliverWithin = deliverWithin;
            return this;
        }

        /**
         * Sets the tenant.
         * @param tenantId the tenant
         * @return this builder
         */
        public Builder tenantId(String tenantId) {
            this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
            return this;
        }

        /**
         * Sets the correlation id.
         * @param correlationId the correlation id
         * @return this builder
         */
        public Builder correlationId(String correlationId) {
            this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
            return this;
        }

        /**
         * Sets header name.
         * @param name header name
         * @param value header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /**
         * Sets headers to add.
         * @param headers headers to add
         * @return this builder
         */
        public Builder headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * Returns the options.
         * @return the options
         */
        public DeliveryOptions build() {
            return new DeliveryOptions(this);
        }
    }
}
