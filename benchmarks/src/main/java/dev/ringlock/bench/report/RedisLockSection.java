package dev.ringlock.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Redis exclusive lock, uncontended and contended, against Redisson, Spring Integration and the raw floor. */
final class RedisLockSection implements Section {

    static final String BENCHMARK = "dev.ringlock.bench.lock.RedisLockBenchmark.";
    private static final List<String> UNCONTENDED = List.of("uncontended1", "uncontended4", "uncontended8");
    private static final List<String> CONTENDED = List.of("contendedOneKey", "contendedEightKeys");

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Redis lock, uncontended (every thread its own key)\n\n");
        report.append("| threads | contender | ops/s | p50 µs | p99 µs | Ringlock ÷ contender |\n|---:|---|---:|---:|---:|---:|\n");
        for (String method : UNCONTENDED) {
            Optional<Measured> ours = rounds.find(BENCHMARK + method, "ringlock");
            for (Measured m : rounds.select(BENCHMARK + method)) {
                report.row(String.valueOf(m.threads()), Contenders.describe(m.param("impl")), Report.ops(m),
                        Report.micros(m.p50Nanos()), Report.micros(m.p99Nanos()), Report.ratio(ours, m));
            }
        }
        report.append("\n## Redis lock, contended (8 threads; on 1 key, or on 8 keys picked at random)\n\n");
        report.append("Latency columns: one acquire+release including the wait. The raw floor spins on `SET NX` while it "
                + "waits (it floods Redis, which no library should do); the others wait for a release message or poll.\n\n");
        report.append("| keys | contender | ops/s | p50 µs | p99 µs | hand-over p50 µs | hand-over p99 µs | Ringlock ÷ contender |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (String method : CONTENDED) {
            Optional<Measured> ours = rounds.find(BENCHMARK + method, "ringlock");
            for (Measured m : rounds.select(BENCHMARK + method)) {
                long[] handOver = rounds.handOver("RedisLockBenchmark." + method + "-" + m.param("impl"));
                report.row(keys(method), Contenders.describe(m.param("impl")), Report.ops(m), Report.micros(m.p50Nanos()),
                        Report.micros(m.p99Nanos()), Report.micros(handOver[0]), Report.micros(handOver[1]), Report.ratio(ours, m));
            }
        }
        report.append("\n");
        targets(report);
    }

    private static void targets(Report report) {
        Rounds rounds = report.rounds();
        for (String method : UNCONTENDED) {
            String threads = method.substring("uncontended".length());
            for (String peer : List.of("spring-registry", "redisson-rlock", "redisson-fenced")) {
                report.target("Redis lock, uncontended, " + threads + " thread(s): ≥ 1.0× " + Contenders.describe(peer),
                        rounds.ratio(BENCHMARK + method, "ringlock", peer), 1.0);
            }
            report.target("Redis lock, uncontended, " + threads + " thread(s): ≥ 0.90× the raw floor",
                    rounds.ratio(BENCHMARK + method, "ringlock", "raw-floor"), 0.90);
        }
        report.target("Redis lock, contended, 8 keys: ≥ 1.0× " + Contenders.describe("spring-registry"),
                rounds.ratio(BENCHMARK + "contendedEightKeys", "ringlock", "spring-registry"), 1.0);
        Optional<Measured> registry = rounds.find(BENCHMARK + "contendedOneKey", "spring-registry");
        Optional<Measured> ours = rounds.find(BENCHMARK + "contendedOneKey", "ringlock");
        String p99s = ours.isPresent() && registry.isPresent()
                ? String.format(Locale.ROOT, "; p99 ours %s µs, the registry's %s µs", Report.micros(ours.get().p99Nanos()),
                        Report.micros(registry.get().p99Nanos()))
                : "";
        Ratio oneKey = rounds.ratio(BENCHMARK + "contendedOneKey", "ringlock", "spring-registry");
        report.target("Redis lock, contended, 1 key: ≥ 1.5× " + Contenders.describe("spring-registry") + ", staying fair",
                oneKey.text() + p99s, oneKey.missing() ? null : oneKey.atLeast(1.5));
        double roundTrip = rounds.find(CounterSection.REDIS + "increment1", "raw-incr").map(Measured::p50Nanos).orElse(Double.NaN);
        for (String method : CONTENDED) {
            long oursHandOver = rounds.handOver("RedisLockBenchmark." + method + "-ringlock")[0];
            long floor = rounds.handOver("RedisLockBenchmark." + method + "-raw-floor")[0];
            double gap = oursHandOver - floor;
            report.target("Redis lock, contended, " + keys(method) + " key(s): hand-over p50 within 2 round trips of the floor",
                    String.format(Locale.ROOT, "%s µs vs floor %s µs: %+.1f µs; 2 round trips (2 × INCR p50) = %s µs",
                            Report.micros(oursHandOver), Report.micros(floor), gap / 1000, Report.micros(2 * roundTrip)),
                    Double.isNaN(roundTrip) || oursHandOver == 0 || floor == 0 ? null : gap <= 2 * roundTrip);
        }
    }

    private static String keys(String method) {
        return method.equals("contendedOneKey") ? "1" : "8";
    }
}
