package dev.ringlock.bench.report;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JMH result in sample-time mode, in nanoseconds per operation. Throughput is derived from the mean:
 * each of the {@code threads} threads completes one operation per mean time, so ops/s = threads / mean.
 * {@code round} is the round of the run it was measured in (from 1).
 */
record Result(String benchmark, String method, Map<String, String> params, int threads, double meanNanos,
        double p50Nanos, double p99Nanos, long samples, int round) {

    double opsPerSecond() {
        return threads * 1e9 / meanNanos;
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    @SuppressWarnings("unchecked")
    static List<Result> fromJmh(Object json, int round) {
        return ((List<Object>) json).stream().map(entry -> {
            Map<String, Object> result = (Map<String, Object>) entry;
            String benchmark = (String) result.get("benchmark");
            Map<String, Object> primary = (Map<String, Object>) result.get("primaryMetric");
            double toNanos = nanosPer((String) primary.get("scoreUnit"));
            Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
            Map<String, String> params = result.get("params") == null ? Map.of()
                    : ((Map<String, Object>) result.get("params")).entrySet().stream()
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
            List<Object> raw = (List<Object>) primary.get("rawDataHistogram");
            return new Result(benchmark, benchmark.substring(benchmark.lastIndexOf('.') + 1), params,
                    ((Number) result.get("threads")).intValue(), number(primary.get("score")) * toNanos,
                    number(percentiles.get("50.0")) * toNanos, number(percentiles.get("99.0")) * toNanos,
                    raw == null ? 0 : countSamples(raw), round);
        }).toList();
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The histogram is forks × iterations × [value, count] pairs. */
    @SuppressWarnings("unchecked")
    private static long countSamples(List<Object> forks) {
        long count = 0;
        for (Object fork : forks) {
            for (Object iteration : (List<Object>) fork) {
                for (Object pair : (List<Object>) iteration) {
                    count += ((Number) ((List<Object>) pair).get(1)).longValue();
                }
            }
        }
        return count;
    }

    private static double nanosPer(String unit) {
        String perOp = unit.substring(0, unit.indexOf('/'));
        TimeUnit timeUnit = switch (perOp) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalArgumentException("Unexpected JMH unit " + unit);
        };
        return timeUnit.toNanos(1);
    }
}
