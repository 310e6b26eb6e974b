package dev.critter.sample.load;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, by the nearest-rank method on a sorted copy: no histogram,
 * exact values.
 * @param count how many latencies
 * @param p50 the median, in nanoseconds
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest
 */
public record LatencySummary(int count, long p50, long p90, long p99, long p999, long max) {

    /** @param nanos latencies in nanoseconds (not modified) @return their percentiles */
    public static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies to summarise");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, percentile(sorted, 500), percentile(sorted, 900),
                percentile(sorted, 990), percentile(sorted, 999), sorted[sorted.length - 1]);
    }

    /**
     * The smallest value with at least {@code perMille}/1000 of the values at or below it. Integer
     * arithmetic: {@code 99.9 / 100 * 1000} is a hair above 999 in floating point.
     */
    static long percentile(long[] sorted, int perMille) {
        long rank = ((long) perMille * sorted.length + 999) / 1000;
        return sorted[(int) Math.max(0, rank - 1)];
    }

    @Override
    public String toString() {
        return "p50 " + format(p50) + "   p90 " + format(p90) + "   p99 " + format(p99) + "   p99.9 " + format(p999)
                + "   max " + format(max);
    }

    /** @param nanos a duration @return it in a readable unit, e.g. {@code 12.3 ms} */
    static String format(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format("%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.2f s", nanos / 1e9);
    }
}
