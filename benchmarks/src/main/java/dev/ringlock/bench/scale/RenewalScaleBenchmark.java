package dev.ringlock.bench.scale;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ringlock.bench.BenchEnv;

/**
 * How cost grows with the number of locks held at once: one contender holds {@code N} locks (distinct keys, lease
 * 30 s, renewed by its watchdog) and the harness measures the client heap each held lock adds, and, while the
 * locks are only held, the Redis commands per second (from {@code INFO commandstats}) and the client CPU per second
 * that keeping them costs. A main rather than a JMH benchmark, run in a JVM of its own per contender and {@code N},
 * so that one run's heap and threads never mix with another's.
 * <p>
 * {@code java -Xmx2g -cp benchmarks.jar dev.ringlock.bench.scale.RenewalScaleBenchmark <ringlock|redisson> <N>
 * [observeSeconds [acquireSpreadSeconds]]}; {@code run.sh Scale} runs every contender at 1,000, 10,000 and 100,000 locks. It flushes the
 * server first (the one {@code run.sh} started for it), and writes {@code $RINGLOCK_BENCH_OUT/scale/<contender>-<N>.txt}
 * ({@code key=value}, read by the report's {@code ScaleSection}) and, beside it, the classes that grew per lock. It
 * fails, and writes no result, if any lock is not held at the end.
 */
public final class RenewalScaleBenchmark {

    /** More than two renewal periods of both contenders (a third of the 30 s lease: 10 s), and a few seconds. */
    static final int DEFAULT_OBSERVE_SECONDS = 30;

    /**
     * Every lease must have been renewed within one period (10 s) and this much slack when the harness checks it:
     * a remaining lease below {@code 30 s - 10 s - slack} means a renewal was missed.
     */
    private static final long RENEWAL_SLACK_MILLIS = 5_000;

    /** Locks taken and released before the baseline, so that first-use allocations (caches, pools) are in it. */
    private static final int WARM_UP_LOCKS = 200;

    /**
     * Wait after the warm-up's release, before taking the locks measured: a renewal period and a little. Redisson's
     * watchdog timer, stopped when its last lock is released, still fires once more; a lock taken before it has
     * fired starts a second timer chain, and both chains then renew every lock, each every 10 s (seen here: every
     * lock renewed every 5 s on average). An application whose held locks drop to none and come back within 10 s
     * gets that too; the table measures the steady state of one chain. Ours waits the same, for a like run.
     */
    private static final long WARM_UP_SETTLE_MILLIS = ScaleContender.LEASE_MILLIS / 3 + 2_000;

    /** Slices of a spread acquisition: 500 over a 10 s spread, one every 20 ms, as many as our sweeps' window. */
    private static final int SPREAD_SLICES = 500;

    private RenewalScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        }
        catch (Exception | Error ex) {
            ex.printStackTrace();
            // exit, not return: the clients' non-daemon threads would keep a failed run alive, and run.sh waiting
            System.exit(1);
        }
        // Redisson's and Lettuce's non-daemon threads may linger after shutdown
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 2 || !List.of("ringlock", "redisson").contains(args[0])) {
            System.err.println("usage: RenewalScaleBenchmark <ringlock|redisson> <locks> [observeSeconds "
                    + "[acquireSpreadSeconds]]");
            System.exit(2);
        }
        String name = args[0];
        int locks = Integer.parseInt(args[1]);
        int observeSeconds = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_OBSERVE_SECONDS;
        int spreadSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Map<String, String> result;
        try (RedisCommandStats server = new RedisCommandStats()) {
            server.flushAll();
            try (ScaleContender contender = name.equals("ringlock") ? new RinglockScaleContender()
                    : new RedissonScaleContender()) {
                result = measure(name, contender, server, locks, observeSeconds, spreadSeconds);
            }
        }
        Path dir = BenchEnv.outDir().resolve("scale");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + locks + ".txt");
        Files.writeString(file, result.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        System.out.println("Wrote " + file);
        result.forEach((k, v) -> System.out.println("  " + k + "=" + v));
    }

    private static Map<String, String> measure(String name, ScaleContender contender, RedisCommandStats server, int locks,
            int observeSeconds, int spreadSeconds) throws Exception {
        String[] warmUp = keys("scale-warm-up-", WARM_UP_LOCKS);
        contender.acquireAll(warmUp);
        contender.releaseAll();
        Thread.sleep(WARM_UP_SETTLE_MILLIS);
        // the keys are the application's, made before the baseline: a held lock costs what the library adds to them
        String[] keys = keys("scale-", locks);
        // before the baseline, so that it and the diagnostic MBean it sets up are in both heap figures, not the locks'
        Map<String, long[]> classesBefore = HeapProbe.histogram();
        long heapBefore = HeapProbe.usedAfterGc();

        long acquireStart = System.nanoTime();
        acquire(contender, keys, spreadSeconds);
        double acquireSeconds = (System.nanoTime() - acquireStart) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %,d locks acquired in %.1f s%n", name, locks, acquireSeconds);
        long heapHeld = HeapProbe.usedAfterGc();
        Map<String, long[]> classesHeld = HeapProbe.histogram();

        // idle holding: nothing runs but the watchdog (and what the client does in the background anyway)
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> callsBefore = server.calls();
        long cpuBefore = os.getProcessCpuTime();
        long gcBefore = gcMillis();
        long observeStart = System.nanoTime();
        Thread.sleep(observeSeconds * 1000L);
        double observed = (System.nanoTime() - observeStart) / 1e9;
        long cpuAfter = os.getProcessCpuTime();
        long gcAfter = gcMillis();
        Map<String, Long> calls = RedisCommandStats.delta(callsBefore, server.calls());

        List<String> redisKeys = Arrays.stream(keys).map(contender::redisKey).toList();
        long minPttl = server.minPttl(redisKeys);
        int locallyValid = contender.locallyValid();
        long wantedPttl = ScaleContender.LEASE_MILLIS - ScaleContender.LEASE_MILLIS / 3 - RENEWAL_SLACK_MILLIS;

        long releaseStart = System.nanoTime();
        contender.releaseAll();
        double releaseSeconds = (System.nanoTime() - releaseStart) / 1e9;
        if (minPttl < wantedPttl || (locallyValid >= 0 && locallyValid != locks)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s did not keep its %,d locks for %d s: least "
                    + "remaining lease %d ms (want >= %d ms: renewed within the last period; -2: key gone), %s locally "
                    + "valid", name, locks, observeSeconds, minPttl, wantedPttl, locallyValid < 0 ? "n/a" : locallyValid));
        }

        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        long scripts = calls.entrySet().stream().filter(e -> RedisCommandStats.SCRIPT_COMMANDS.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("contender", name);
        result.put("locks", String.valueOf(locks));
        result.put("observeSeconds", String.format(Locale.ROOT, "%.1f", observed));
        result.put("acquireSpreadSeconds", String.valueOf(spreadSeconds));
        result.put("heapBytesPerLock", String.format(Locale.ROOT, "%.0f", (double) (heapHeld - heapBefore) / locks));
        result.put("redisCommandsPerSecond", String.format(Locale.ROOT, "%.2f", total / observed));
        result.put("scriptCallsPerSecond", String.format(Locale.ROOT, "%.2f", scripts / observed));
        result.put("clientCpuMillisPerSecond", String.format(Locale.ROOT, "%.2f", (cpuAfter - cpuBefore) / 1e6 / observed));
        result.put("gcMillisPerSecond", String.format(Locale.ROOT, "%.2f", (gcAfter - gcBefore) / observed));
        result.put("commands", calls.toString());
        result.put("acquireSeconds", String.format(Locale.ROOT, "%.1f", acquireSeconds));
        result.put("releaseSeconds", String.format(Locale.ROOT, "%.1f", releaseSeconds));
        result.put("minRemainingLeaseMillis", String.valueOf(minPttl));
        result.put("heapBytesBefore", String.valueOf(heapBefore));
        result.put("heapBytesHeld", String.valueOf(heapHeld));
        result.put("settings", contender.settings());
        result.put("jvm", jvm());
        writeHistogram(name, locks, HeapProbe.growthPerLock(classesBefore, classesHeld, locks, 25));
        return result;
    }

    /**
     * Takes {@code keys} at once, or, with a spread, in {@link #SPREAD_SLICES} slices evenly over that many seconds:
     * an application's locks come one by one over time, not in a burst, and a watchdog that batches only the renewals
     * due at the same moment batches a burst far better than a trickle.
     */
    private static void acquire(ScaleContender contender, String[] keys, int spreadSeconds) throws Exception {
        if (spreadSeconds <= 0) {
            contender.acquireAll(keys);
            return;
        }
        long start = System.nanoTime();
        for (int slice = 0; slice < SPREAD_SLICES; slice++) {
            int from = (int) ((long) keys.length * slice / SPREAD_SLICES);
            int to = (int) ((long) keys.length * (slice + 1) / SPREAD_SLICES);
            contender.acquireAll(Arrays.copyOfRange(keys, from, to));
            long next = start + spreadSeconds * 1_000_000_000L * (slice + 1) / SPREAD_SLICES;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    private static String[] keys(String prefix, int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = prefix + i;
        }
        return keys;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    private static String jvm() {
        List<String> collectors = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> collectors.add(gc.getName()));
        return String.format(Locale.ROOT, "%s, max heap %d MB, %s", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, String.join("/", collectors));
    }

    /** Which classes a held lock adds, for the question "where does the heap per lock go". */
    private static void writeHistogram(String name, int locks, List<String> lines) throws IOException {
        Path dir = BenchEnv.outDir().resolve("scale");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + "-" + locks + "-classes.txt"), String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }
}
