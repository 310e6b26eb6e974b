package dev.critter.sample.walkthrough;

import java.io.PrintStream;
import java.time.Duration;

import dev.critter.testing.TrackedSession;

/** How the walkthrough's steps print: numbered headings, indented lines, cascade trees, yes or NO. */
final class Story {

    private Story() {
    }

    static void heading(PrintStream out, int number, String title) {
        out.println();
        out.println(number + ". " + title);
    }

    static void say(PrintStream out, String line) {
        out.println("   " + line);
    }

    static void tree(PrintStream out, TrackedSession session) {
        say(out, "what happened (MessageTracking session):");
        CascadeTree.render(session).forEach(line -> say(out, "   " + line));
    }

    static String yes(boolean value) {
        return value ? "yes" : "NO";
    }

    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
