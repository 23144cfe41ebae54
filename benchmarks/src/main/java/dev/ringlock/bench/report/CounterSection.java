package dev.ringlock.bench.report;

import java.util.List;
import java.util.Optional;

/** Counters on one shared key, and sequences, against raw {@code INCR}, Redisson and Curator. */
final class CounterSection implements Section {

    static final String REDIS = "dev.ringlock.bench.counter.RedisCounterBenchmark.";
    private static final String ZOOKEEPER = "dev.ringlock.bench.counter.ZooKeeperCounterBenchmark.";
    private static final String SEQUENCE = "dev.ringlock.bench.counter.SequenceBenchmark.";

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Counters (all threads increment one shared counter)\n\n");
        report.append("| backend | threads | contender | ops/s | p50 µs | p99 µs | Ringlock ÷ contender |\n"
                + "|---|---:|---|---:|---:|---:|---:|\n");
        for (String[] group : List.of(new String[] {"Redis", REDIS, "ringlock"}, new String[] {"ZooKeeper", ZOOKEEPER, "ringlock-zk"})) {
            for (String method : List.of("increment1", "increment8")) {
                Optional<Measured> ours = rounds.find(group[1] + method, group[2]);
                for (Measured m : rounds.select(group[1] + method)) {
                    report.row(group[0], String.valueOf(m.threads()), Contenders.describe(m.param("impl")), Report.ops(m),
                            Report.micros(m.p50Nanos()), Report.micros(m.p99Nanos()), Report.ratio(ours, m));
                }
            }
        }
        Optional<Measured> sequence = rounds.select(SEQUENCE + "next1").stream().findFirst();
        Optional<Measured> incr = rounds.find(REDIS + "increment1", "raw-incr");
        Ratio perId = sequence.flatMap(s -> incr.map(s::ratioTo)).orElse(Ratio.NONE);
        sequence.ifPresent(s -> report.row("Redis", "1", "ringlock `Sequence.next()` (block 1,000), per id", Report.ops(s),
                Report.micros(s.p50Nanos()), Report.micros(s.p99Nanos()), perId.text() + " raw INCR"));
        report.append("\n");
        for (String threads : List.of("1", "8")) {
            report.target("Redis counter, " + threads + " thread(s): ≥ 0.9× raw INCR",
                    rounds.ratio(REDIS + "increment" + threads, "ringlock", "raw-incr"), 0.9);
        }
        report.target("ZooKeeper counter, 8 threads: ≥ 2× " + Contenders.describe("curator-dal"),
                rounds.ratio(ZOOKEEPER + "increment8", "ringlock-zk", "curator-dal"), 2.0);
        report.target("Sequence.next() per id: ≥ 50× raw INCR", perId, 50.0);
    }
}
