package dev.critter.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.DeadLetterPage;
import dev.critter.DeadLetterQuery;
import dev.critter.Envelope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link DeadLetterQuery} and the default {@code DeadLetters.query}, as the in-memory store answers it. */
class DeadLetterQueryTests {

    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");

    private static DeadLetter letter(String type, String exception, String destination, int second) {
        Envelope envelope = Envelope.builder().id(UUID.randomUUID()).messageType(type).message(type + second)
                .sentAt(T0).build();
        return new DeadLetter(UUID.randomUUID(), envelope, destination, null, exception, "failed", "",
                T0.plusSeconds(second));
    }

    private final InMemoryDeadLetters store = new InMemoryDeadLetters(100);

    @Test
    void filtersByMessageTypeExceptionTypeDestinationAndTime() {
        store.add(letter("a.Order", "java.lang.IllegalStateException", "local://orders", 1));
        store.add(letter("a.Order", "com.acme.Outer$GatewayDown", "local://orders", 2));
        store.add(letter("a.Bill", "unknown-message-type", "local://bills", 3));
        store.add(letter("a.Order", "java.lang.IllegalStateException", "local://other", 4));

        assertThat(messages(DeadLetterQuery.all().messageType("a.Order"))).containsExactly("a.Order1", "a.Order2", "a.Order4");
        assertThat(messages(DeadLetterQuery.all().exceptionType("IllegalStateException"))).containsExactly("a.Order1", "a.Order4");
        assertThat(messages(DeadLetterQuery.all().exceptionType(IllegalStateException.class))).containsExactly("a.Order1", "a.Order4");
        assertThat(messages(DeadLetterQuery.all().exceptionType("GatewayDown"))).containsExactly("a.Order2");
        assertThat(messages(DeadLetterQuery.all().exceptionType("unknown-message-type"))).containsExactly("a.Bill3");
        assertThat(messages(DeadLetterQuery.all().exceptionType("StateException"))).as("a simple name is whole").isEmpty();
        assertThat(messages(DeadLetterQuery.all().destination("local://orders"))).containsExactly("a.Order1", "a.Order2");
        assertThat(messages(DeadLetterQuery.all().since(T0.plusSeconds(2)).until(T0.plusSeconds(4))))
                .as("since inclusive, until exclusive").containsExactly("a.Order2", "a.Bill3");
    }

    @Test
    void pagesFollowEachOtherInFailureTimeAndIdOrderWithoutGapsOrRepeats() {
        List<DeadLetter> added = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // pairs failing at the same instant: the id orders them
            DeadLetter letter = letter("a.Order", "E", "local://orders", i / 2);
            added.add(letter);
            store.add(letter);
        }
        List<DeadLetter> seen = new ArrayList<>();
        DeadLetterQuery query = DeadLetterQuery.all().limit(3);
        int pages = 0;
        while (query != null) {
            DeadLetterPage page = store.query(query);
            assertThat(page.deadLetters()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(page.deadLetters());
            query = page.next();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(added.stream().sorted(DeadLetterQuery.ORDER).toList());
    }

    @Test
    void idsAreOrderedAsUnsignedNumbersAsPostgresOrdersThem() {
        DeadLetter low = withId(letter("a.Order", "E", "local://orders", 1), "7fffffff-ffff-ffff-ffff-ffffffffffff");
        DeadLetter high = withId(letter("a.Order", "E", "local://orders", 1), "80000000-0000-0000-0000-000000000000");
        store.add(high);
        store.add(low);

        assertThat(store.query(DeadLetterQuery.all()).deadLetters()).containsExactly(low, high);
        assertThat(store.query(DeadLetterQuery.all().after(low)).deadLetters()).containsExactly(high);
    }

    private static DeadLetter withId(DeadLetter letter, String id) {
        return new DeadLetter(UUID.fromString(id), letter.envelope(), letter.destination(), letter.handler(),
                letter.exceptionType(), letter.exceptionMessage(), letter.stackTrace(), letter.failedAt());
    }

    @Test
    void aFullLastPageSaysNoMore() {
        store.add(letter("a.Order", "E", "local://orders", 1));
        store.add(letter("a.Order", "E", "local://orders", 2));

        DeadLetterPage page = store.query(DeadLetterQuery.all().limit(2));

        assertThat(page.deadLetters()).hasSize(2);
        assertThat(page.next()).isNull();
    }

    @Test
    void theLimitIsCheckedAndEchoed() {
        assertThatIllegalArgumentException().isThrownBy(() -> DeadLetterQuery.all().limit(0)).withMessageContaining("not 0");
        assertThatIllegalArgumentException().isThrownBy(() -> DeadLetterQuery.all().limit(DeadLetterQuery.MAX_LIMIT + 1))
                .withMessageContaining("1 to " + DeadLetterQuery.MAX_LIMIT);
    }

    private List<Object> messages(DeadLetterQuery query) {
        return store.query(query).deadLetters().stream().map(d -> d.envelope().message()).toList();
    }
}
