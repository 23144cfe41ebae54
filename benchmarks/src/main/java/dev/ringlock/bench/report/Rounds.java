package dev.ringlock.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every round of one run. {@code run.sh} runs all benchmark groups once per round, the rounds one after the other
 * (so the contenders of a row alternate through the run instead of each taking one stretch of it), and leaves
 * one directory per round, {@code round-1}, {@code round-2}, …, each with JMH's {@code results.json} and the
 * files the benchmarks wrote beside it (hand-over latencies, the leader failover harness's {@code leader/*.txt}). A directory with a
 * {@code results.json} and no rounds is read as a run of one round.
 */
final class Rounds {

    /** Where the leader failover harness ({@code dev.ringlock.bench.leader}) leaves its files in a round. */
    private static final String LEADER_DIR = "leader";

    /**
     * The directory, under the run's, of the scale harness's files: it runs once per run, after the rounds, so its
     * files sit beside the rounds, not in one.
     */
    static final String ONCE_PER_RUN = "scale";

    private final Path outDir;
    private final List<Path> dirs;
    private final List<Result> results;

    private Rounds(Path outDir, List<Path> dirs, List<Result> results) {
        this.outDir = outDir;
        this.dirs = dirs;
        this.results = results;
    }

    static Rounds load(Path outDir) throws IOException {
        List<Path> dirs;
        try (Stream<Path> children = Files.list(outDir)) {
            dirs = children.filter(p -> p.getFileName().toString().matches("round-\\d+") && Files.isDirectory(p))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        }
        if (dirs.isEmpty()) {
            dirs = List.of(outDir);
        }
        return new Rounds(outDir, dirs, resultsOf(dirs, List.of("results.json")));
    }

    /**
     * The same rounds' measurements of the pinned earlier code ({@code round-N/baseline/redis.json} and
     * {@code zookeeper.json}, which {@code run.sh} runs in each round beside the current code), as rounds of their
     * own with the same numbers.
     */
    Rounds baseline() throws IOException {
        return mutexRows("baseline");
    }

    /**
     * This code's mutex rows as {@code run.sh} measures them again right before the pinned code's
     * ({@code round-N/baseline-now/}), as rounds of their own.
     */
    Rounds baselineNow() throws IOException {
        return mutexRows("baseline-now");
    }

    /** Whether these rounds hold no JMH result at all. */
    boolean isEmpty() {
        return results.isEmpty();
    }

    private Rounds mutexRows(String dirName) throws IOException {
        List<Path> mutexDirs = dirs.stream().map(dir -> dir.resolve(dirName)).toList();
        return new Rounds(outDir, mutexDirs, resultsOf(mutexDirs, List.of("redis.json", "zookeeper.json")));
    }

    /** The JMH results in the files {@code names} of each directory, numbered by the directory's place. */
    private static List<Result> resultsOf(List<Path> dirs, List<String> names) throws IOException {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            for (String name : names) {
                Path json = dirs.get(i).resolve(name);
                if (Files.exists(json)) {
                    results.addAll(Result.fromJmh(Json.parse(Files.readString(json, StandardCharsets.UTF_8)), i + 1));
                }
            }
        }
        return results;
    }

    int count() {
        return dirs.size();
    }

    /**
     * When the last round's results (JMH's, or the leader harness's for a run of that alone), or the last file of
     * the harnesses run once per run, were written, so that a report written again later still dates the run.
     */
    Instant finished() throws IOException {
        List<Path> written = new ArrayList<>(dirs.stream().map(d -> d.resolve("results.json")).toList());
        for (Path dir : dirs) {
            written.addAll(filesUnder(dir.resolve(LEADER_DIR)));
        }
        Path once = outDir.resolve(ONCE_PER_RUN);
        if (Files.isDirectory(once)) {
            try (Stream<Path> files = Files.list(once)) {
                files.forEach(written::add);
            }
        }
        Instant last = Instant.EPOCH;
        for (Path file : written) {
            if (Files.exists(file)) {
                Instant at = Files.getLastModifiedTime(file).toInstant();
                last = at.isAfter(last) ? at : last;
            }
        }
        return last;
    }

    int resultCount() {
        return results.size();
    }

    /** Every parameter set of {@code benchmark}, in the order JMH ran them, each with its results of every round. */
    List<Measured> select(String benchmark) {
        Map<Map<String, String>, List<Result>> byParams = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.benchmark().equals(benchmark)) {
                byParams.computeIfAbsent(r.params(), p -> new ArrayList<>()).add(r);
            }
        }
        return byParams.values().stream()
                .map(rs -> new Measured(benchmark, rs.get(0).params(), rs.get(0).threads(), List.copyOf(rs))).toList();
    }

    Optional<Measured> find(String benchmark, Predicate<Measured> which) {
        return select(benchmark).stream().filter(which).findFirst();
    }

    /** The parameter set of {@code benchmark} whose {@code impl} parameter is {@code impl}. */
    Optional<Measured> find(String benchmark, String impl) {
        return find(benchmark, m -> m.param("impl").equals(impl));
    }

    /** {@code ours} over {@code peer} in throughput, round by round; {@link Ratio#NONE} when either is missing. */
    Ratio ratio(String benchmark, String ours, String peer) {
        Optional<Measured> o = find(benchmark, ours);
        Optional<Measured> p = find(benchmark, peer);
        return o.isPresent() && p.isPresent() ? o.get().ratioTo(p.get()) : Ratio.NONE;
    }

    /** The file {@code name} of the harnesses run once per run ({@link #ONCE_PER_RUN}), if that run left it. */
    Optional<Path> oncePerRun(String name) {
        Path file = outDir.resolve(ONCE_PER_RUN).resolve(name);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** The file {@code relative} of each round that has it, in round order. */
    List<Path> files(String relative) {
        return dirs.stream().map(d -> d.resolve(relative)).filter(Files::exists).toList();
    }

    /**
     * Hand-over latency {@code [p50, p99]} in nanoseconds from the hand-over files of {@code name}, the median over
     * the rounds; zeros when no round left one.
     */
    long[] handOver(String name) {
        List<Long> p50 = new ArrayList<>();
        List<Long> p99 = new ArrayList<>();
        for (Path file : files("handover/" + name + ".txt")) {
            try {
                String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
                if (Long.parseLong(parts[parts.length - 1]) > 0) {
                    p50.add(Long.parseLong(parts[0]));
                    p99.add(Long.parseLong(parts[1]));
                }
            }
            catch (IOException | RuntimeException ex) {
                // a round whose file is unreadable counts as not measured
            }
        }
        return p50.isEmpty() ? new long[] {0, 0} : new long[] {(long) Medians.of(p50), (long) Medians.of(p99)};
    }

    /**
     * The {@code key=value} lines of the leader harness's file for {@code contender}
     * ({@code leader/<contender>.txt}), by round number, for each round that left one.
     */
    Map<Integer, Map<String, String>> leader(String contender) {
        Map<Integer, Map<String, String>> byRound = new LinkedHashMap<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path file = dirs.get(i).resolve(LEADER_DIR).resolve(contender + ".txt");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                Map<String, String> values = new LinkedHashMap<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
                byRound.put(i + 1, values);
            }
            catch (IOException ex) {
                // a round whose file is unreadable counts as not measured, as with the hand-over files
            }
        }
        return byRound;
    }

    /** {@code combine} applied to the results of {@code a} and {@code b} from the same round, for each round both have. */
    static List<Double> pairByRound(List<Result> a, List<Result> b, BiFunction<Result, Result, Double> combine) {
        List<Double> values = new ArrayList<>();
        for (Result x : a) {
            b.stream().filter(y -> y.round() == x.round()).findFirst().ifPresent(y -> values.add(combine.apply(x, y)));
        }
        return values;
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static int number(Path dir) {
        return Integer.parseInt(dir.getFileName().toString().substring("round-".length()));
    }
}
