package dev.critter.testing;

import java.util.List;
import java.util.Locale;

/** Renders session events as a fixed-width table that explains a failed test. */
final class ActivityTable {

    private ActivityTable() {
    }

    static String render(String headline, List<TrackedEvent> events) {
        int typeWidth = Math.max("message type".length(),
                events.stream().mapToInt(e -> e.envelope().messageType().length()).max().orElse(0));
        String row = "%7s  %-14s  %-" + typeWidth + "s  %-36s  %s%n";
        StringBuilder out = new StringBuilder(headline).append('\n');
        out.append(String.format(row, "ms", "event", "message type", "message id", "detail"));
        for (TrackedEvent e : events) {
            out.append(String.format(row, e.elapsedMillis(), e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    e.envelope().messageType(), e.envelope().id(), e.detail()));
        }
        if (events.isEmpty()) {
            out.append("  (no message activity)\n");
        }
        return out.toString();
    }
}
