package dev.critter.autoconfigure;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** Picks the valid name closest to a misspelled one (edit distance), if any is close enough. */
final class Nearest {

    private Nearest() {
    }

    /**
     * @param misspelled the name as written
     * @param candidates the valid names
     * @return the closest candidate within a third of its length (at least 2 edits), else null
     */
    static @Nullable String of(String misspelled, Collection<String> candidates) {
        String written = misspelled.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(written, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance && distance <= Math.max(2, candidate.length() / 3)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance, with dashes ignored so {@code partitionby} is next to {@code partition-by}. */
    static int distance(String a, String b) {
        String x = a.replace("-", "");
        String y = b.replace("-", "");
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
