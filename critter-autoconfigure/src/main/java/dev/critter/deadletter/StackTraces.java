package dev.critter.deadletter;

import java.util.ArrayList;
import java.util.List;

/**
 * Shortens stack traces (the text {@link Throwable#printStackTrace()} writes) to a bounded length
 * for dead letters, keeping what explains a failure: every exception line (the failure, each
 * {@code Caused by:} and {@code Suppressed:}) and the top frames of each, dropping frames from the
 * bottom of every section evenly. A deep recursion or a framework's hundred frames thus never
 * makes a dead letter large, and the root cause is never cut off for the frames above it.
 */
public final class StackTraces {

    /** The longest stack trace a dead letter keeps, in characters. */
    public static final int MAX_CHARS = 8_192;

    /** The longest exception line kept whole when a trace is shortened (a message can be huge). */
    static final int MAX_LINE_CHARS = 1_000;

    private static final String TRUNCATED = "\n... (shortened by Critter to " + MAX_CHARS + " characters)";

    private StackTraces() {
    }

    /**
     * Shortens a stack trace to at most {@value #MAX_CHARS} characters.
     * @param trace a stack trace as {@link Throwable#printStackTrace()} writes it (or several, one after the other)
     * @return the trace itself when it fits, else its exception lines with as many top frames of each as fit
     */
    public static String shorten(String trace) {
        return shorten(trace, MAX_CHARS);
    }

    /**
     * Shortens a stack trace to at most {@code maxChars} characters.
     * @param trace a stack trace
     * @param maxChars the most characters to keep, at least 100
     * @return the trace itself when it fits, else its exception lines with as many top frames of each as fit
     */
    static String shorten(String trace, int maxChars) {
        if (trace.length() <= maxChars) {
            return trace;
        }
        List<Section> sections = sections(trace);
        int most = sections.stream().mapToInt(s -> s.frames().size()).max().orElse(0);
        // The most frames per section that still fit: binary search, since the length grows with it.
        int low = 0;
        int high = most;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (render(sections, middle).length() <= maxChars) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        String shortened = render(sections, low);
        if (shortened.length() <= maxChars) {
            return shortened;
        }
        return shortened.substring(0, maxChars - TRUNCATED.length()) + TRUNCATED;
    }

    /** One exception of a trace: its lines (type, message) and the frames below them. */
    private record Section(List<String> header, List<String> frames) {
    }

    private static List<Section> sections(String trace) {
        List<Section> sections = new ArrayList<>();
        List<String> header = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        for (String line : trace.split("\r?\n", -1)) {
            if (isFrame(line)) {
                frames.add(line);
                continue;
            }
            if (!frames.isEmpty()) {
                sections.add(new Section(header, frames));
                header = new ArrayList<>();
                frames = new ArrayList<>();
            }
            header.add(line);
        }
        sections.add(new Section(header, frames));
        return sections;
    }

    private static boolean isFrame(String line) {
        String trimmed = line.stripLeading();
        return trimmed.startsWith("at ") || (trimmed.startsWith("... ") && trimmed.endsWith(" more"));
    }

    private static String render(List<Section> sections, int framesPerSection) {
        StringBuilder out = new StringBuilder();
        for (Section section : sections) {
            for (String line : section.header()) {
                append(out, line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "...");
            }
            List<String> frames = section.frames();
            int kept = Math.min(framesPerSection, frames.size());
            for (int i = 0; i < kept; i++) {
                append(out, frames.get(i));
            }
            if (kept < frames.size()) {
                String first = frames.get(0);
                String indent = first.substring(0, first.length() - first.stripLeading().length());
                append(out, indent + "... " + (frames.size() - kept) + " frames left out by Critter");
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String line) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append(line);
    }
}
