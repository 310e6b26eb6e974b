package dev.critter.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StackTracesTests {

    private static String printed(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static Throwable deep(int depth, String message) {
        if (depth == 0) {
            return new IllegalStateException(message);
        }
        return deep(depth - 1, message);
    }

    private static Throwable recursing(int depth, Throwable cause) {
        if (depth == 0) {
            return new IllegalArgumentException("top failure", cause);
        }
        return recursing(depth - 1, cause);
    }

    @Test
    void aTraceThatFitsIsKeptAsItIs() {
        IllegalStateException failure = new IllegalStateException("short");
        failure.setStackTrace(java.util.Arrays.copyOf(failure.getStackTrace(), 5));
        String trace = printed(failure);

        assertThat(StackTraces.shorten(trace)).isSameAs(trace);
    }

    @Test
    void aLongTraceKeepsEveryExceptionLineAndTheTopFramesOfEachWithinTheBound() {
        Throwable root = deep(600, "the root cause");
        Throwable top = recursing(600, new RuntimeException("middle", root));
        top.addSuppressed(new UnsupportedOperationException("suppressed one"));
        String trace = printed(top);
        assertThat(trace.length()).isGreaterThan(StackTraces.MAX_CHARS * 4);

        String shortened = StackTraces.shorten(trace);

        assertThat(shortened.length()).isLessThanOrEqualTo(StackTraces.MAX_CHARS);
        assertThat(shortened).startsWith(IllegalArgumentException.class.getName() + ": top failure\n\tat ")
                .contains("\tSuppressed: " + UnsupportedOperationException.class.getName() + ": suppressed one")
                .contains("Caused by: " + RuntimeException.class.getName() + ": middle")
                .contains("Caused by: " + IllegalStateException.class.getName() + ": the root cause")
                .contains("frames left out by Critter");
        // The top frame of the root cause is where it was thrown.
        String rootSection = shortened.substring(shortened.indexOf("the root cause"));
        assertThat(rootSection.lines().skip(1).findFirst()).hasValueSatisfying(line ->
                assertThat(line).contains("StackTracesTests.deep("));
    }

    @Test
    void hugeExceptionMessagesAreCutSoTheCausesStillFit() {
        Throwable top = new IllegalStateException("x".repeat(50_000), new RuntimeException("the cause"));

        String shortened = StackTraces.shorten(printed(top));

        assertThat(shortened.length()).isLessThanOrEqualTo(StackTraces.MAX_CHARS);
        assertThat(shortened).contains("Caused by: " + RuntimeException.class.getName() + ": the cause");
    }

    @Test
    void textThatIsNoStackTraceIsCutAtTheBoundAndSaysSo() {
        String shortened = StackTraces.shorten("y".repeat(20_000), 1_000);

        assertThat(shortened).hasSize(1_000).endsWith("(shortened by Critter to " + StackTraces.MAX_CHARS + " characters)");
    }
}
