package dev.critter.sample;

import org.jspecify.annotations.Nullable;

/**
 * Prints one short line per handler run, with the thread it ran on, so the console shows which
 * handler ran where. A teaching aid: real handlers would log.
 */
public final class Console {

    private Console() {
    }

    /**
     * @param who the handler, e.g. {@code "SignUpHandler"}
     * @param what what it did, in plain words
     */
    public static void handled(String who, String what) {
        System.out.printf("      %-26s %s  [%s]%n", who, what, Thread.currentThread().getName());
    }

    /** @param tenant a tenant id, or {@code null} @return {@code " (tenant acme)"}, or nothing without a tenant */
    public static String tenant(@Nullable String tenant) {
        return tenant == null ? "" : " (tenant " + tenant + ")";
    }
}
