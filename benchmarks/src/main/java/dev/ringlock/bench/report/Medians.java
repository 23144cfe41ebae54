package dev.ringlock.bench.report;

import java.util.Arrays;
import java.util.List;

/** The median of a few values (one per round): the middle one, or the mean of the middle two. */
final class Medians {

    private Medians() {
    }

    static double of(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double of(List<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).filter(v -> !Double.isNaN(v)).toArray());
    }
}
