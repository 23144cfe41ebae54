package dev.ringlock.bench.report;

import java.util.List;
import java.util.Optional;

/**
 * The lock kinds, each backend against the peer a user would pick there: read-write locks, permits and locks on
 * several keys ({@code dev.ringlock.bench.kinds}).
 */
final class LockKindsSection implements Section {

    private static final String BENCHMARK = "dev.ringlock.bench.kinds.";

    private static final List<Row> ROWS = List.of(
            new Row("ReadWriteLockBenchmark.readMostly", "read-write lock, read-mostly (90 % READ), 8 threads, 1 key",
                    "redisson-rwlock", "curator-rwlock"),
            new Row("ReadWriteLockBenchmark.writeHeavy", "read-write lock, write-heavy (50 % READ), 8 threads, 1 key",
                    "redisson-rwlock", "curator-rwlock"),
            new Row("SemaphoreBenchmark.fourPermits", "permits, 4 permits, 8 threads, 1 key", "redisson-semaphore",
                    "curator-semaphore"),
            new Row("MultiLockBenchmark.threeOfSixteenKeys", "several keys, 3 of 16 at random, 8 threads",
                    "redisson-multilock", "curator-multilock"),
            new Row("MultiLockBenchmark.uncontended1", "several keys, 3 keys of its own, 1 thread", "redisson-multilock",
                    "curator-multilock"));

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Lock kinds: read-write locks, permits, several keys (taken and given back at once)\n\n");
        report.append("| scenario | backend | contender | ops/s | p50 µs | p99 µs | Ringlock ÷ contender |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
        for (Row row : ROWS) {
            for (Backend backend : row.backends()) {
                Optional<Measured> ours = rounds.find(BENCHMARK + row.benchmark(), backend.ours());
                for (String impl : List.of(backend.ours(), backend.peer())) {
                    rounds.find(BENCHMARK + row.benchmark(), impl).ifPresent(m -> report.row(row.scenario(), backend.name(),
                            Contenders.describe(impl), Report.ops(m), Report.micros(m.p50Nanos()), Report.micros(m.p99Nanos()),
                            Report.ratio(ours, m)));
                }
            }
        }
        report.append("\n");
        for (Row row : ROWS) {
            for (Backend backend : row.backends()) {
                report.target(backend.name() + " " + row.scenario() + ": ≥ 1.0× " + Contenders.describe(backend.peer()),
                        rounds.ratio(BENCHMARK + row.benchmark(), backend.ours(), backend.peer()), 1.0);
            }
        }
    }

    /** One scenario: a benchmark method, with the peer it is measured against on each backend. */
    private record Row(String benchmark, String scenario, String redisPeer, String zooKeeperPeer) {

        List<Backend> backends() {
            return List.of(new Backend("Redis", "ringlock", redisPeer), new Backend("ZooKeeper", "ringlock-zk", zooKeeperPeer));
        }
    }

    private record Backend(String name, String ours, String peer) {
    }
}
