package dev.critter.testing;

import java.util.List;

/** Renders session events as a fixed-width table that explains a failed test. */
final class ActivityTable {

    private ActivityTable() {
    }

    static String render(String headline, List<TrackedEvent> events) {
        StringBuilder out = new StringBuilder(headline).append('\n');
        out.append(String.format("%7s  %-14s  %-45s  %-36s  %s%n", "ms", "event", "message type", "message id", "detail"));
        for (TrackedEvent e : events) {
            String type = e.envelope().messageType();
            if (type.length() > 45) {
                type = "…" + type.substring(type.length() - 44);
            }
            out.append(String.format("%7d  %-14s  %-45s  %-36s  %s%n", e.elapsedMillis(),
                    e.kind().name().toLowerCase().replace('_', '-'), type, e.envelope().id(), e.detail()));
        }
        if (events.isEmpty()) {
            out.append("  (no message activity)\n");
        }
        return out.toString();
    }
}
