package dev.critter.actuate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.DeadLetterPage;
import dev.critter.DeadLetterQuery;
import dev.critter.DeadLetters;
import dev.critter.Envelope;
import dev.critter.serialization.RawMessage;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code critterdeadletters} over {@link DeadLetters}: list with filters and
 * keyset paging ({@code GET}, through {@link DeadLetters#query}), read one ({@code GET /{id}}), replay ({@code POST /{id}}) and discard
 * ({@code DELETE /{id}}).
 */
@Endpoint(id = "critterdeadletters")
public class CritterDeadLettersEndpoint {

    /** Page size when the request gives none. */
    static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest page served, whatever the request asks. */
    static final int MAX_PAGE_SIZE = 500;
    /** Between the failure time and the id in a page position; in neither an instant nor a UUID. */
    private static final String POSITION_SEPARATOR = "_";

    private final DeadLetters deadLetters;

    /**
     * Creates the endpoint.
     * @param deadLetters the dead-letter store
     */
    public CritterDeadLettersEndpoint(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * Lists one page of dead letters, oldest first; every filter is optional. The store filters
     * and pages (a durable one in SQL), so a large store is never read whole.
     * @param messageType only this message type name
     * @param exceptionType only this exception: its class name, its simple name, or a reason code of
     *                      bad input such as {@code unknown-message-type}
     * @param destination only those that failed at this address, e.g. {@code local://orders}
     * @param since only those that failed at or after this instant (ISO-8601)
     * @param until only those that failed before this instant (ISO-8601)
     * @param after the page after this position: the {@code next} of the previous page
     * @param size the page size (default 50, at most 500)
     * @return the page and the position of the next one
     */
    @ReadOperation
    public DeadLetterList list(@Nullable String messageType, @Nullable String exceptionType,
                               @Nullable String destination, @Nullable String since,
                               @Nullable String until, @Nullable String after,
                               @Nullable Integer size) {
        int pageSize = size != null ? size : DEFAULT_PAGE_SIZE;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new InvalidEndpointRequestException("size must be between 1 and " + MAX_PAGE_SIZE + ", was " + pageSize,
                    "Bad size");
        }
        DeadLetterQuery query = DeadLetterQuery.all().messageType(messageType).exceptionType(exceptionType)
                .destination(destination).since(instant("since", since)).until(instant("until", until))
                .limit(pageSize);
        if (after != null) {
            query = after(query, after);
        }
        DeadLetterPage page = deadLetters.query(query);
        List<DeadLetterSummary> content = page.deadLetters().stream().map(DeadLetterSummary::of).toList();
        String next = page.next() == null ? null : position(page.deadLetters().get(page.deadLetters().size() - 1));
        return new DeadLetterList(content, pageSize, next);
    }

    /**
     * Reads one dead letter; {@code 404} when there is none with this id.
     * @param id the dead letter id
     * @return the dead letter with its message, headers and stack trace
     */
    @ReadOperation
    public @Nullable DeadLetterDetail deadLetter(@Selector UUID id) {
        return deadLetters.find(id).map(DeadLetterDetail::of).orElse(null);
    }

    /**
     * Sends the message back to the destination and handler where it failed, with a fresh
     * attempt count, and removes it from the store.
     * @param id the dead letter id
     * @return whether it was found and replayed
     */
    @WriteOperation
    public Result replay(@Selector UUID id) {
        try {
            return deadLetters.replay(id) ? new Result(id, "replayed", null) : new Result(id, "not found", null);
        } catch (RuntimeException ex) {
            // The store kept the dead letter; say why the replay failed rather than answer 500.
            return new Result(id, "failed", String.valueOf(ex.getMessage()));
        }
    }

    /**
     * Removes a dead letter for good.
     * @param id the dead letter id
     * @return whether it was found and discarded
     */
    @DeleteOperation
    public Result discard(@Selector UUID id) {
        return deadLetters.discard(id) ? new Result(id, "discarded", null) : new Result(id, "not found", null);
    }

    /** A page position as text: the failure time and id of the last dead letter of a page. */
    static String position(DeadLetter last) {
        return last.failedAt() + POSITION_SEPARATOR + last.id();
    }

    private static DeadLetterQuery after(DeadLetterQuery query, String position) {
        int separator = position.lastIndexOf(POSITION_SEPARATOR);
        try {
            if (separator > 0) {
                return query.after(Instant.parse(position.substring(0, separator)),
                        UUID.fromString(position.substring(separator + 1)));
            }
        } catch (DateTimeParseException | IllegalArgumentException ex) {
            // reported below
        }
        throw new InvalidEndpointRequestException("after=" + position + " is not a page position; pass the next "
                + "of the previous page (e.g. 2026-01-31T12:00:00.123456Z_0190c2a8-...)", "Bad after");
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ex) {
            throw new InvalidEndpointRequestException(name + "=" + value + " is not an ISO-8601 instant "
                    + "(e.g. 2026-01-31T12:00:00Z)", "Bad " + name);
        }
    }

    /**
     * One page of dead letters.
     * @param deadLetters the dead letters on this page, oldest first
     * @param size the page size asked for
     * @param next the position to pass as {@code after} for the next page, or {@code null} when this is the last
     */
    public record DeadLetterList(List<DeadLetterSummary> deadLetters, int size, @Nullable String next) {
    }

    /**
     * A dead letter in a list.
     * @param id the dead letter id
     * @param messageId the message's envelope id
     * @param messageType the message type name
     * @param message the message, as its {@code toString()}
     * @param tenant the tenant id, or {@code null}
     * @param destination where it failed
     * @param handler the chain that failed, or {@code null} when no handler was found
     * @param attempts how many attempts were made
     * @param exceptionType the exception's class name
     * @param exceptionMessage the exception's message
     * @param failedAt when it was dead-lettered
     */
    public record DeadLetterSummary(UUID id, UUID messageId, String messageType, String message, @Nullable String tenant,
                                    String destination, @Nullable String handler, int attempts, String exceptionType,
                                    String exceptionMessage, Instant failedAt) {

        static DeadLetterSummary of(DeadLetter d) {
            Envelope e = d.envelope();
            return new DeadLetterSummary(d.id(), e.id(), e.messageType(), String.valueOf(e.message()), e.tenantId(),
                    d.destination(), d.handler(), e.attempts(), d.exceptionType(), d.exceptionMessage(), d.failedAt());
        }
    }

    /**
     * One dead letter in full.
     * @param summary what the list shows
     * @param headers the envelope's headers
     * @param correlationId the correlation id
     * @param causationId the id of the message whose handler published it, or {@code null}
     * @param sentAt when it was published
     * @param stackTrace the failure's stack trace
     * @param rawBody the kept bytes as UTF-8 text when the message could not be read (bad input), else {@code null}
     */
    public record DeadLetterDetail(DeadLetterSummary summary, Map<String, String> headers,
                                   String correlationId, @Nullable UUID causationId, Instant sentAt,
                                   String stackTrace, @Nullable String rawBody) {

        static DeadLetterDetail of(DeadLetter d) {
            Envelope e = d.envelope();
            return new DeadLetterDetail(DeadLetterSummary.of(d), e.headers(),
                    e.correlationId(), e.causationId(), e.sentAt(), d.stackTrace(),
                    e.message() instanceof RawMessage raw ? raw.text() : null);
        }
    }

    /**
     * The outcome of a replay or discard.
     * @param id the dead letter id
     * @param outcome {@code replayed}, {@code discarded}, {@code not found}, or {@code failed} (a replay
     *                that could not send the message back; the dead letter is kept)
     * @param error why a replay failed, else {@code null}
     */
    public record Result(UUID id, String outcome, @Nullable String error) {
    }
}
