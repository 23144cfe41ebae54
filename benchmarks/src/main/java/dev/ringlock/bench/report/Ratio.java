package dev.ringlock.bench.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A ratio measured in each round of a run: its median, and its lowest and highest value as the spread.
 * Ratios are taken round by round (ours and the contender's throughput from the same round, which shared
 * that round's noise), then summarised.
 */
record Ratio(double median, double min, double max, int rounds) {

    static final Ratio NONE = new Ratio(Double.NaN, Double.NaN, Double.NaN, 0);

    static Ratio of(List<Double> perRound) {
        double[] values = perRound.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return NONE;
        }
        return new Ratio(Medians.of(values), values[0], values[values.length - 1], values.length);
    }

    boolean missing() {
        return Double.isNaN(median);
    }

    boolean atLeast(double wanted) {
        return !missing() && median >= wanted;
    }

    boolean atMost(double wanted) {
        return !missing() && median <= wanted;
    }

    /** {@code 1.05×}, with the spread when there was more than one round: {@code 1.05× (0.98–1.10)}. */
    String text() {
        if (missing()) {
            return "n/a";
        }
        String median = times(this.median);
        return rounds > 1 ? median + " (" + String.format(Locale.ROOT, "%.2f–%.2f", min, max) + ")" : median;
    }

    static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    @Override
    public String toString() {
        return text() + " over " + rounds + " round(s) " + Arrays.toString(new double[] {min, max});
    }
}
