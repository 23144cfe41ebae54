package dev.ringlock.bench.report;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One benchmark with one set of parameters, as measured in each round of a run: the table shows the medians over
 * the rounds, and ratios are taken round by round ({@link #ratioTo}).
 */
record Measured(String benchmark, Map<String, String> params, int threads, List<Result> perRound) {

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    double opsPerSecond() {
        return median(Result::opsPerSecond);
    }

    double p50Nanos() {
        return median(Result::p50Nanos);
    }

    double p99Nanos() {
        return median(Result::p99Nanos);
    }

    double meanNanos() {
        return median(Result::meanNanos);
    }

    /** The lowest and highest throughput of the rounds, as {@code [min, max]}. */
    double[] opsSpread() {
        double[] ops = perRound.stream().mapToDouble(Result::opsPerSecond).sorted().toArray();
        return new double[] {ops[0], ops[ops.length - 1]};
    }

    /** This throughput over {@code other}'s, round by round (only rounds both were measured in). */
    Ratio ratioTo(Measured other) {
        return Ratio.of(Rounds.pairByRound(perRound, other.perRound, (a, b) -> a.opsPerSecond() / b.opsPerSecond()));
    }

    private double median(ToDoubleFunction<Result> value) {
        return Medians.of(perRound.stream().mapToDouble(value).toArray());
    }
}
