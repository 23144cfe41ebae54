package dev.ringlock.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.ringlock.bench.ring.RingShapes;

/** Ring lookups, build time and memory, against Guava's jump hash and a ketama ring. */
final class RingSection implements Section {

    private static final String LOOKUP = "dev.ringlock.bench.ring.RingBenchmark.nodeFor";
    private static final String BUILD = "dev.ringlock.bench.ring.RingBuildBenchmark.build300";
    private static final String JOIN = "dev.ringlock.bench.ring.RingJoinBenchmark.join1000";

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Ring lookups (`nodeFor`, one thread)\n\n");
        report.append("| nodes | contender | lookups/s | p50 ns | p99 ns | Ringlock ÷ contender |\n|---:|---|---:|---:|---:|---:|\n");
        for (String nodes : List.of("10", "100", "1000")) {
            Optional<Measured> ours = lookup(rounds, nodes, "ringlock");
            rounds.select(LOOKUP).stream().filter(m -> m.param("nodes").equals(nodes))
                    .forEach(m -> report.row(nodes, Contenders.describe(m.param("impl")), Report.ops(m),
                            Report.nanos(m.p50Nanos()), Report.nanos(m.p99Nanos()), Report.ratio(ours, m)));
        }
        report.append("\nGuava's `Hashing.consistentHash` is fed the same 64-bit key hash as ours (MurmurHash3 x64, "
                + "`RingHash.hash`); the ketama ring hashes keys with MD5, as ketama does.\n\n");
        report.append("### Ring build, 300 nodes\n\n| contender | p50 ms | p99 ms | mean ms |\n|---|---:|---:|---:|\n");
        for (Measured m : rounds.select(BUILD)) {
            report.row(Contenders.describe(m.param("impl")), Report.millis(m.p50Nanos()), Report.millis(m.p99Nanos()),
                    Report.millis(m.meanNanos()));
        }
        for (Measured m : rounds.select(JOIN)) {
            report.row("ringlock, one join to 1,000 nodes (`withNode`)", Report.millis(m.p50Nanos()),
                    Report.millis(m.p99Nanos()), Report.millis(m.meanNanos()));
        }
        report.append("\n### Ring memory, 100 nodes (retained size, JOL `GraphLayout`)\n\n| contender | bytes |\n|---|---:|\n");
        report.row("ringlock (route `slots`: the 8 MiB slot table)", String.format(Locale.ROOT, "%,d", RingFootprint.ringlock(100)));
        report.row("ringlock-rendezvous", String.format(Locale.ROOT, "%,d", RingFootprint.ringlockRendezvous(100)));
        report.row("ketama", String.format(Locale.ROOT, "%,d", RingFootprint.ketama(100)));
        report.row("guava (node array only)", String.format(Locale.ROOT, "%,d", RingFootprint.guava(100)));
        report.append("\n");

        double median100 = lookup(rounds, "100", "ringlock").map(Measured::p50Nanos).orElse(Double.NaN);
        report.target("Ring: nodeFor ≤ 60 ns median at 100 nodes", Report.nanos(median100) + " ns",
                Double.isNaN(median100) ? null : median100 <= 60);
        Ratio vsKetama = lookup(rounds, "1000", "ringlock")
                .flatMap(o -> lookup(rounds, "1000", "ketama").map(o::ratioTo)).orElse(Ratio.NONE);
        report.target("Ring: ≥ 1.0× the ketama ring's lookups/s at 1,000 nodes", vsKetama, 1.0);
        double peakToAverage = RingShapes.slotPeakToAverage(1000);
        report.target("Ring: peak-to-average load ≤ 1.05 at 1,000 nodes (slots per node)",
                String.format(Locale.ROOT, "%.3f", peakToAverage), peakToAverage <= 1.05);
    }

    private static Optional<Measured> lookup(Rounds rounds, String nodes, String impl) {
        return rounds.find(LOOKUP, m -> m.param("nodes").equals(nodes) && m.param("impl").equals(impl));
    }
}
