package dev.critter.sample.ops;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.DeadLetters;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reads and replays dead letters through the {@link DeadLetters} bean: {@code GET /dead-letters},
 * {@code POST /dead-letters/{id}/replay}, {@code DELETE /dead-letters/{id}}.
 */
@RestController
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** A dead letter as JSON: what failed, where, and why. */
    record DeadLetterView(UUID id, String messageType, String message, @Nullable String tenant, String destination,
                          @Nullable String handler, int attempts, String exceptionType, String exceptionMessage,
                          Instant failedAt) {

        static DeadLetterView of(DeadLetter d) {
            return new DeadLetterView(d.id(), d.envelope().messageType(), String.valueOf(d.envelope().message()),
                    d.envelope().tenantId(), d.destination(), d.handler(), d.envelope().attempts(), d.exceptionType(),
                    d.exceptionMessage(), d.failedAt());
        }
    }

    @GetMapping("/dead-letters")
    List<DeadLetterView> list() {
        return deadLetters.list().stream().map(DeadLetterView::of).toList();
    }

    /** Sends the message back to the handler that failed, with a fresh attempt count. */
    @PostMapping("/dead-letters/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void replay(@PathVariable UUID id) {
        if (!deadLetters.replay(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No dead letter " + id);
        }
    }

    @DeleteMapping("/dead-letters/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void discard(@PathVariable UUID id) {
        if (!deadLetters.discard(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No dead letter " + id);
        }
    }
}
