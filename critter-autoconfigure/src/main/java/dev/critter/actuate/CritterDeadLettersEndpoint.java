package dev.critter.actuate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;
import dev.critter.Envelope;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code critterdeadletters} over {@link DeadLetters}: list with filters and
 * paging ({@code GET}), read one ({@code GET /{id}}), replay ({@code POST /{id}}) and discard
 * ({@code DELETE /{id}}).
 */
@Endpoint(id = "critterdeadletters")
public class CritterDeadLettersEndpoint {

    /** Page size when the request gives none. */
    static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest page served, whatever the request asks. */
    static final int MAX_PAGE_SIZE = 500;

    private final DeadLetters deadLetters;

    /**
     * Creates the endpoint.
     * @param deadLetters the dead-letter store
     */
    public CritterDeadLettersEndpoint(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * Lists dead letters, oldest first; every filter is optional.
     * @param messageType only this message type name
     * @param exceptionType only this exception: its class name or simple name
     * @param destination only those that failed at this address, e.g. {@code local://orders}
     * @param since only those that failed at or after this instant (ISO-8601)
     * @param until only those that failed before this instant (ISO-8601)
     * @param page the page, from 0
     * @param size the page size (default 50, at most 500)
     * @return the page and the number of matches
     */
    @ReadOperation
    public DeadLetterPage list(@Nullable String messageType, @Nullable String exceptionType,
                               @Nullable String destination, @Nullable String since,
                               @Nullable String until, @Nullable Integer page,
                               @Nullable Integer size) {
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        int pageNumber = page != null ? page : 0;
        int pageSize = size != null ? size : DEFAULT_PAGE_SIZE;
        if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new InvalidEndpointRequestException("page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE
                    + ", were " + pageNumber + " and " + pageSize, "Bad paging");
        }
        List<DeadLetter> matching = (messageType != null ? deadLetters.list(messageType) : deadLetters.list()).stream()
                .filter(d -> exceptionType == null || d.exceptionType().equals(exceptionType)
                        || d.exceptionType().endsWith("." + exceptionType) || d.exceptionType().endsWith("$" + exceptionType))
                .filter(d -> destination == null || d.destination().equals(destination))
                .filter(d -> from == null || !d.failedAt().isBefore(from))
                .filter(d -> to == null || d.failedAt().isBefore(to))
                .toList();
        List<DeadLetterSummary> content = matching.stream().skip((long) pageNumber * pageSize).limit(pageSize)
                .map(DeadLetterSummary::of).toList();
        return new DeadLetterPage(content, pageNumber, pageSize, matching.size());
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
        return deadLetters.replay(id) ? new Result(id, "replayed") : new Result(id, "not found");
    }

    /**
     * Removes a dead letter for good.
     * @param id the dead letter id
     * @return whether it was found and discarded
     */
    @DeleteOperation
    public Result discard(@Selector UUID id) {
        return deadLetters.discard(id) ? new Result(id, "discarded") : new Result(id, "not found");
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
     * @param page the page number, from 0
     * @param size the page size
     * @param total how many dead letters match the filters
     */
    public record DeadLetterPage(List<DeadLetterSummary> deadLetters, int page, int size, int total) {
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
     */
    public record DeadLetterDetail(DeadLetterSummary summary, Map<String, String> headers,
                                   String correlationId, @Nullable UUID causationId, Instant sentAt,
                                   String stackTrace) {

        static DeadLetterDetail of(DeadLetter d) {
            Envelope e = d.envelope();
            return new DeadLetterDetail(DeadLetterSummary.of(d), e.headers(),
                    e.correlationId(), e.causationId(), e.sentAt(), d.stackTrace());
        }
    }

    /**
     * The outcome of a replay or discard.
     * @param id the dead letter id
     * @param outcome {@code replayed}, {@code discarded} or {@code not found}
     */
    public record Result(UUID id, String outcome) {
    }
}
