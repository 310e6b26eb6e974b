package dev.critter;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of dead letters, the answer to a {@link DeadLetterQuery}.
 * @param deadLetters the dead letters on this page, in {@link DeadLetterQuery#ORDER}
 * @param next the query for the page after this one, or {@code null} when this is the last page
 */
public record DeadLetterPage(List<DeadLetter> deadLetters, @Nullable DeadLetterQuery next) {

    /**
     * Copies the list.
     * @param deadLetters the dead letters on this page, in {@link DeadLetterQuery#ORDER}
     * @param next the query for the page after this one, or {@code null} when this is the last page
     */
    public DeadLetterPage {
        deadLetters = List.copyOf(deadLetters);
    }

    /**
     * Makes the page from the matches a store found: a store asks for one more than the
     * query's limit, so it knows whether another page follows without counting.
     * @param query the query answered
     * @param matches up to {@code query.limit() + 1} matching dead letters, in {@link DeadLetterQuery#ORDER}
     * @return the page, with a next query when there were more matches than the limit
     */
    public static DeadLetterPage of(DeadLetterQuery query, List<DeadLetter> matches) {
        if (matches.size() <= query.limit()) {
            return new DeadLetterPage(matches, null);
        }
        List<DeadLetter> page = matches.subList(0, query.limit());
        return new DeadLetterPage(page, query.after(page.get(page.size() - 1)));
    }
}
