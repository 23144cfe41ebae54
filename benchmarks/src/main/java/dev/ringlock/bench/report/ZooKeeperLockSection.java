package dev.ringlock.bench.report;

import java.util.List;
import java.util.Optional;

/** The ZooKeeper exclusive lock against Curator's {@code InterProcessMutex}. */
final class ZooKeeperLockSection implements Section {

    static final String BENCHMARK = "dev.ringlock.bench.lock.ZooKeeperLockBenchmark.";

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## ZooKeeper lock (uncontended: every thread its own key; contended: 8 threads on 1 key)\n\n");
        report.append("| scenario | contender | ops/s | p50 µs | p99 µs | hand-over p50 µs | hand-over p99 µs | Ringlock ÷ contender |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String method : List.of("uncontended1", "uncontended8", "contendedOneKey")) {
            Optional<Measured> ours = rounds.find(BENCHMARK + method, "ringlock-zk");
            boolean contended = method.startsWith("contended");
            for (Measured m : rounds.select(BENCHMARK + method)) {
                long[] handOver = contended ? rounds.handOver("ZooKeeperLockBenchmark." + method + "-" + m.param("impl")) : null;
                report.row(scenario(method), Contenders.describe(m.param("impl")), Report.ops(m), Report.micros(m.p50Nanos()),
                        Report.micros(m.p99Nanos()), contended ? Report.micros(handOver[0]) : "",
                        contended ? Report.micros(handOver[1]) : "", Report.ratio(ours, m));
            }
            report.target("ZooKeeper lock, " + scenario(method) + ": ≥ 1.0× " + Contenders.describe("curator-mutex"),
                    rounds.ratio(BENCHMARK + method, "ringlock-zk", "curator-mutex"), 1.0);
        }
        report.append("\n");
    }

    private static String scenario(String method) {
        return switch (method) {
            case "uncontended1" -> "uncontended, 1 thread";
            case "uncontended8" -> "uncontended, 8 threads";
            default -> "contended, 8 threads, 1 key";
        };
    }
}
