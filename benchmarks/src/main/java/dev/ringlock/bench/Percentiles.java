package dev.ringlock.bench;

/**
 * The nearest-rank percentile of sorted samples, the one definition every side measurement of the benchmarks uses
 * (hand-over latencies, leader failover trials, round trips), so that their p50s can be set against each other.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The smallest sample with at least {@code quantile} of the samples at or below it; {@code sorted} is in
     * ascending order and not empty.
     */
    public static long of(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("'sorted' must not be empty");
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
