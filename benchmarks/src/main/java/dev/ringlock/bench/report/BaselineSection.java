package dev.ringlock.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The plain mutex rows against the same rows of the pinned earlier code ({@code run.sh}'s {@code BASELINE_REF}, the
 * code of the previous {@code RESULTS.md}), built from that commit and run in each round beside the current code:
 * whether READ/WRITE modes, permits, batched renewals and replica acknowledgement slowed the lock that has none of
 * them.
 */
final class BaselineSection implements Section {

    /** A mutex row: the benchmark method and the contender that is Ringlock in it. */
    private record Row(String benchmark, String ours, String label) {
    }

    private static final List<Row> ROWS = List.of(
            new Row(RedisLockSection.BENCHMARK + "uncontended1", "ringlock", "Redis, uncontended, 1 thread"),
            new Row(RedisLockSection.BENCHMARK + "uncontended8", "ringlock", "Redis, uncontended, 8 threads"),
            new Row(RedisLockSection.BENCHMARK + "contendedOneKey", "ringlock", "Redis, contended, 1 key"),
            new Row(RedisLockSection.BENCHMARK + "contendedEightKeys", "ringlock", "Redis, contended, 8 keys"),
            new Row(ZooKeeperLockSection.BENCHMARK + "uncontended1", "ringlock-zk", "ZooKeeper, uncontended, 1 thread"),
            new Row(ZooKeeperLockSection.BENCHMARK + "uncontended8", "ringlock-zk", "ZooKeeper, uncontended, 8 threads"),
            new Row(ZooKeeperLockSection.BENCHMARK + "contendedOneKey", "ringlock-zk", "ZooKeeper, contended, 1 key"));

    @Override
    public void write(Report report) throws IOException {
        Rounds before = report.rounds().baseline();
        Rounds paired = report.rounds().baselineNow();
        // older runs measured no pair: their current rows are those of the tables above
        Rounds now = paired.isEmpty() ? report.rounds() : paired;
        String ref = baselineRef(report.rounds());
        report.append("## The mutex rows against the previous code\n\n");
        report.append("Ringlock's own mutex rows, this code against the code of " + ref + " (the previous results), "
                + "built from that commit and run in every round on the same servers"
                + (paired.isEmpty() ? ", right after the current code.\n\n"
                        : ": each group right after the same rows of this code, run again for the pair (so the "
                                + "\"now\" cells are not those of the tables above).\n\n"));
        report.append("| row | ops/s now | ops/s before | p50 µs now | p50 µs before | now ÷ before |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (Row row : ROWS) {
            Optional<Measured> current = now.find(row.benchmark(), row.ours());
            Optional<Measured> earlier = before.find(row.benchmark(), row.ours());
            Ratio ratio = current.isPresent() && earlier.isPresent() ? current.get().ratioTo(earlier.get()) : Ratio.NONE;
            report.row(row.label(), current.map(Report::ops).orElse("n/a"), earlier.map(Report::ops).orElse("n/a"),
                    current.map(m -> Report.micros(m.p50Nanos())).orElse("n/a"),
                    earlier.map(m -> Report.micros(m.p50Nanos())).orElse("n/a"), ratio.text());
            report.target("Mutex row not slower than before the new primitives (" + row.label() + "): ≥ 1.0× " + ref,
                    ratio, 1.0);
        }
        report.append("\n");
    }

    /** The commit the baseline was built from, as {@code run.sh} recorded it; "the pinned commit" when it did not. */
    private static String baselineRef(Rounds rounds) throws IOException {
        List<Path> recorded = rounds.files("baseline/ref.txt");
        return recorded.isEmpty() ? "the pinned commit"
                : "`" + Files.readString(recorded.get(0), StandardCharsets.UTF_8).trim() + "`";
    }
}
