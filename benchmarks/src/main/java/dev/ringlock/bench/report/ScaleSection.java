package dev.ringlock.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How cost grows with the locks held at once: heap per held lock, Redis commands and script calls per second and
 * client CPU while only holding, ours against Redisson's watchdog, from {@code RenewalScaleBenchmark}'s files
 * ({@code scale/<contender>-<locks>.txt}, once per run).
 */
final class ScaleSection implements Section {

    static final List<Integer> LOCKS = List.of(1_000, 10_000, 100_000);

    /** The harness's contender names, and the labels of {@link Contenders}. */
    private static final Map<String, String> CONTENDERS = Map.of("ringlock", "ringlock", "redisson", "redisson-rlock");

    /** The most heap a held lock of ours may take, from the benchmarks issue. */
    private static final long HEAP_PER_LOCK_BYTES = 1024;

    /**
     * CPU growing no faster than the locks: 100 times the locks, at most 100 times the CPU. No tolerance on top,
     * since the idle cost of the JVM and its clients, the same at every N, already makes growth look slower than it is.
     */
    private static final double LINEAR_GROWTH = 100.0;

    @Override
    public void write(Report report) throws IOException {
        Rounds rounds = report.rounds();
        report.append("## How cost grows (locks held at once, lease 30 s, watchdog-renewed)\n\n");
        report.append("Each row: one JVM holding that many locks on distinct keys, measured by `RenewalScaleBenchmark` "
                + "(run once per run, not per round). Heap per lock: used heap after full GCs with the locks held, "
                + "minus before they were taken, over the number of locks (the key strings are the application's and "
                + "not counted). Redis commands/s: every command the server ran while the locks were only held, "
                + "counting those the renewal scripts run (`INFO commandstats`); script calls/s: the `EVAL`/`EVALSHA` "
                + "calls among them, the renewal round trips. Client CPU: the JVM's process CPU time over the same "
                + "window. The run fails if any lease was not renewed within its period. Both renewal scripts run two "
                + "commands per lock (ours `GET` + `PEXPIRE`, Redisson's `HEXISTS` + `PEXPIRE`), so at the same renewal "
                + "rate the Redis commands/s are alike; batching shows in the script calls, one round trip each. The "
                + "locks are taken in one burst unless `SCALE_SPREAD` spreads them over time (below).\n\n");
        report.append("| locks | contender | heap B/lock | Redis cmds/s | script calls/s | client CPU ms/s | acquire s |\n"
                + "|---:|---|---:|---:|---:|---:|---:|\n");
        for (int locks : LOCKS) {
            for (String contender : List.of("ringlock", "redisson")) {
                Optional<Map<String, String>> m = load(rounds, contender, locks);
                if (m.isEmpty()) {
                    continue;
                }
                Map<String, String> v = m.get();
                report.row(String.format(Locale.ROOT, "%,d", locks), Contenders.describe(CONTENDERS.get(contender)),
                        whole(v, "heapBytesPerLock"), whole(v, "redisCommandsPerSecond"), v.get("scriptCallsPerSecond"),
                        v.get("clientCpuMillisPerSecond"), v.get("acquireSeconds"));
            }
        }
        load(rounds, "ringlock", LOCKS.get(0)).or(() -> load(rounds, "redisson", LOCKS.get(0)))
                .ifPresent(v -> report.append("\nLocks taken over ").append(v.getOrDefault("acquireSpreadSeconds", "0"))
                        .append(" s, then observed ").append(v.get("observeSeconds")).append(" s per row; JVM ")
                        .append(v.get("jvm")).append(". Settings: ").append(settings(rounds)).append(".\n"));
        report.append("\n");
        targets(report);
    }

    private static void targets(Report report) {
        Rounds rounds = report.rounds();
        for (int locks : LOCKS) {
            Optional<Double> heap = value(rounds, "ringlock", locks, "heapBytesPerLock");
            report.target(String.format(Locale.ROOT, "Scale, %,d locks held: heap per lock ≤ 1,024 B", locks),
                    heap.map(h -> String.format(Locale.ROOT, "%,.0f B", h)).orElse("n/a"),
                    heap.map(h -> h <= HEAP_PER_LOCK_BYTES).orElse(null));
        }
        for (int locks : LOCKS) {
            Optional<Double> ours = value(rounds, "ringlock", locks, "redisCommandsPerSecond");
            Optional<Double> theirs = value(rounds, "redisson", locks, "redisCommandsPerSecond");
            Optional<Double> oursScripts = value(rounds, "ringlock", locks, "scriptCallsPerSecond");
            Optional<Double> theirScripts = value(rounds, "redisson", locks, "scriptCallsPerSecond");
            boolean both = ours.isPresent() && theirs.isPresent();
            report.target(String.format(Locale.ROOT, "Scale, %,d locks held: Redis commands/s ≤ %s's", locks,
                    Contenders.describe("redisson-rlock")),
                    both ? String.format(Locale.ROOT, "%,.0f vs %,.0f (script calls/s %s vs %s)", ours.get(), theirs.get(),
                            oursScripts.map(ScaleSection::twoDigits).orElse("n/a"),
                            theirScripts.map(ScaleSection::twoDigits).orElse("n/a")) : "n/a",
                    both ? ours.get() <= theirs.get() : null);
        }
        int least = LOCKS.get(0);
        int most = LOCKS.get(LOCKS.size() - 1);
        Optional<Double> cpuLeast = value(rounds, "ringlock", least, "clientCpuMillisPerSecond");
        Optional<Double> cpuMost = value(rounds, "ringlock", most, "clientCpuMillisPerSecond");
        boolean both = cpuLeast.isPresent() && cpuMost.isPresent() && cpuLeast.get() > 0;
        report.target(String.format(Locale.ROOT, "Scale: client CPU from %,d to %,d locks grows no faster than linearly "
                + "(≤ %.0f×)", least, most, LINEAR_GROWTH),
                both ? String.format(Locale.ROOT, "%.2f → %.2f ms/s: %.1f×", cpuLeast.get(), cpuMost.get(),
                        cpuMost.get() / cpuLeast.get()) : "n/a",
                both ? cpuMost.get() / cpuLeast.get() <= LINEAR_GROWTH : null);
    }

    private static String settings(Rounds rounds) {
        StringBuilder text = new StringBuilder();
        for (String contender : List.of("ringlock", "redisson")) {
            load(rounds, contender, LOCKS.get(0)).ifPresent(v -> text.append(text.length() > 0 ? "; " : "")
                    .append(contender).append(": ").append(v.get("settings")));
        }
        return text.toString();
    }

    private static Optional<Double> value(Rounds rounds, String contender, int locks, String key) {
        return load(rounds, contender, locks).map(v -> v.get(key)).map(Double::parseDouble);
    }

    /** The harness's {@code key=value} file of one contender and number of locks, if that run left one. */
    private static Optional<Map<String, String>> load(Rounds rounds, String contender, int locks) {
        Optional<Path> file = rounds.oncePerRun(contender + "-" + locks + ".txt");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file.get(), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return Optional.of(values);
        }
        catch (IOException ex) {
            // an unreadable file counts as not measured, like a round's hand-over file
            return Optional.empty();
        }
    }

    private static String whole(Map<String, String> values, String key) {
        return String.format(Locale.ROOT, "%,.0f", Double.parseDouble(values.get(key)));
    }

    private static String twoDigits(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
