package dev.critter;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Which dead letters to list, and from where: filters by message type, exception type,
 * destination and time, in the order dead letters failed (oldest first, then by id), one page of
 * at most {@link #limit()} at a time. Immutable: each method returns a changed copy.
 * <pre>{@code
 * DeadLetterQuery query = DeadLetterQuery.all().messageType("com.acme.PlaceOrder").limit(50);
 * while (query != null) {
 *     DeadLetterPage page = deadLetters.query(query);
 *     page.deadLetters().forEach(this::inspect);
 *     query = page.next();
 * }
 * }</pre>
 * Pages are keyset pages: the next page starts after the last dead letter of this one
 * ({@link #after(Instant, UUID)}), so dead letters added or removed meanwhile never shift a page.
 */
public final class DeadLetterQuery {

    /** Page size of {@link #all()}. */
    public static final int DEFAULT_LIMIT = 100;

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1_000;

    /**
     * The order dead letters are listed in: by failure time, then by id, ids compared as unsigned
     * 128-bit numbers (as PostgreSQL orders {@code uuid}, which {@link UUID#compareTo} does not).
     */
    public static final Comparator<DeadLetter> ORDER = Comparator.comparing(DeadLetter::failedAt)
            .thenComparing(DeadLetter::id, DeadLetterQuery::compareIds);

    private static final DeadLetterQuery ALL = new DeadLetterQuery(null, null, null, null, null, null, null,
            DEFAULT_LIMIT);

    private final @Nullable String messageType;
    private final @Nullable String exceptionType;
    private final @Nullable String destination;
    private final @Nullable Instant since;
    private final @Nullable Instant until;
    private final @Nullable Instant afterFailedAt;
    private final @Nullable UUID afterId;
    private final int limit;

    private DeadLetterQuery(@Nullable String messageType, @Nullable String exceptionType,
                            @Nullable String destination, @Nullable Instant since, @Nullable Instant until,
                            @Nullable Instant afterFailedAt, @Nullable UUID afterId, int limit) {
        this.messageType = messageType;
        this.exceptionType = exceptionType;
        this.destination = destination;
        this.since = since;
        this.until = until;
        this.afterFailedAt = afterFailedAt;
        this.afterId = afterId;
        this.limit = limit;
    }

    /**
     * Every dead letter, oldest first, {@value #DEFAULT_LIMIT} per page.
     * @return the query without filters
     */
    public static DeadLetterQuery all() {
        return ALL;
    }

    /**
     * Only dead letters of one message type.
     * @param messageType a message type name (class name or {@link MessageIdentity} alias), or null for any
     * @return the changed query
     */
    public DeadLetterQuery messageType(@Nullable String messageType) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Only dead letters that failed with one exception type.
     * @param exceptionType the exception's class name ({@code java.lang.IllegalStateException}), its simple
     *                      name ({@code IllegalStateException}), or a reason code of bad input
     *                      ({@code unknown-message-type}); null for any
     * @return the changed query
     */
    public DeadLetterQuery exceptionType(@Nullable String exceptionType) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Only dead letters that failed with one exception class (exactly that class, not subclasses).
     * @param exceptionType the exception class
     * @return the changed query
     */
    public DeadLetterQuery exceptionType(Class<? extends Throwable> exceptionType) {
        return exceptionType(exceptionType.getName());
    }

    /**
     * Only dead letters that failed at one destination.
     * @param destination an endpoint address such as {@code local://orders}, or null for any
     * @return the changed query
     */
    public DeadLetterQuery destination(@Nullable String destination) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Only dead letters that failed at or after an instant.
     * @param since the earliest failure time, inclusive, or null for no bound
     * @return the changed query
     */
    public DeadLetterQuery since(@Nullable Instant since) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Only dead letters that failed before an instant.
     * @param until the failure time to stop at, exclusive, or null for no bound
     * @return the changed query
     */
    public DeadLetterQuery until(@Nullable Instant until) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Starts after a position in the order ({@link #ORDER}): the page that follows the dead letter
     * that failed at {@code failedAt} with id {@code id}.
     * @param failedAt the failure time of the last dead letter already seen
     * @param id its id
     * @return the changed query
     */
    public DeadLetterQuery after(Instant failedAt, UUID id) {
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until,
                Objects.requireNonNull(failedAt, "failedAt"), Objects.requireNonNull(id, "id"), limit);
    }

    /**
     * Starts after a dead letter already seen.
     * @param last the last dead letter of the previous page
     * @return the changed query
     */
    public DeadLetterQuery after(DeadLetter last) {
        return after(last.failedAt(), last.id());
    }

    /**
     * Sets the page size.
     * @param limit how many dead letters one page holds, 1 to {@value #MAX_LIMIT}
     * @return the changed query
     * @throws IllegalArgumentException when the limit is out of range
     */
    public DeadLetterQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("A dead-letter page holds 1 to " + MAX_LIMIT + " dead letters, not " + limit);
        }
        return new DeadLetterQuery(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    /**
     * Returns the message type filter.
     * @return the message type name, or null for any
     */
    public @Nullable String messageType() {
        return messageType;
    }

    /**
     * Returns the exception type filter.
     * @return the exception class name, simple name or reason code, or null for any
     */
    public @Nullable String exceptionType() {
        return exceptionType;
    }

    /**
     * Returns the destination filter.
     * @return the endpoint address, or null for any
     */
    public @Nullable String destination() {
        return destination;
    }

    /**
     * Returns the earliest failure time.
     * @return the inclusive lower bound on the failure time, or null
     */
    public @Nullable Instant since() {
        return since;
    }

    /**
     * Returns the failure time to stop at.
     * @return the exclusive upper bound on the failure time, or null
     */
    public @Nullable Instant until() {
        return until;
    }

    /**
     * Returns the failure time of the position this page starts after.
     * @return the failure time, or null for the first page
     */
    public @Nullable Instant afterFailedAt() {
        return afterFailedAt;
    }

    /**
     * Returns the id of the position this page starts after.
     * @return the dead letter id, or null for the first page
     */
    public @Nullable UUID afterId() {
        return afterId;
    }

    /**
     * Returns the page size.
     * @return the most dead letters one page holds
     */
    public int limit() {
        return limit;
    }

    /**
     * Tells whether a dead letter passes the filters and lies after the page's start position;
     * the way a store without a query language of its own answers {@link DeadLetters#query}.
     * @param deadLetter a dead letter
     * @return whether it belongs on this page or a later one
     */
    public boolean matches(DeadLetter deadLetter) {
        Instant failedAt = deadLetter.failedAt();
        return (messageType == null || messageType.equals(deadLetter.envelope().messageType()))
                && (exceptionType == null || exceptionTypeMatches(deadLetter.exceptionType(), exceptionType))
                && (destination == null || destination.equals(deadLetter.destination()))
                && (since == null || !failedAt.isBefore(since))
                && (until == null || failedAt.isBefore(until))
                && (afterFailedAt == null || afterId == null
                    || failedAt.isAfter(afterFailedAt)
                    || (failedAt.equals(afterFailedAt) && compareIds(deadLetter.id(), afterId) > 0));
    }

    private static int compareIds(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /**
     * Tells whether a stored exception type is the one asked for: the same name, or a class
     * whose simple name (after the last {@code .} or {@code $}) it is.
     * @param stored the dead letter's exception type
     * @param wanted the exception type asked for
     * @return whether they match
     */
    public static boolean exceptionTypeMatches(String stored, String wanted) {
        return stored.equals(wanted) || stored.endsWith("." + wanted) || stored.endsWith("$" + wanted);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetterQuery that && limit == that.limit
                && Objects.equals(messageType, that.messageType) && Objects.equals(exceptionType, that.exceptionType)
                && Objects.equals(destination, that.destination) && Objects.equals(since, that.since)
                && Objects.equals(until, that.until) && Objects.equals(afterFailedAt, that.afterFailedAt)
                && Objects.equals(afterId, that.afterId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageType, exceptionType, destination, since, until, afterFailedAt, afterId, limit);
    }

    @Override
    public String toString() {
        return "DeadLetterQuery[messageType=" + messageType + ", exceptionType=" + exceptionType + ", destination="
                + destination + ", since=" + since + ", until=" + until + ", after=" + afterFailedAt + "/" + afterId
                + ", limit=" + limit + "]";
    }
}
