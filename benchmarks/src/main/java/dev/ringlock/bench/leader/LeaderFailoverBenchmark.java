package dev.ringlock.bench.leader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.ringlock.bench.BenchEnv;
import dev.ringlock.bench.Percentiles;

/**
 * Leader failover rows, not JMH (each trial takes seconds): for each contender, the time from {@code kill -9} of
 * the leader's process to the grant of a candidate already waiting in this JVM, and the time from a clean yield
 * to the other candidate's grant (and how many yields did not hand over). Contenders alternate trial by trial.
 * Writes {@code $RINGLOCK_BENCH_OUT/leader/<contender>.txt} as {@code key=value} lines, percentiles by
 * {@link Percentiles}.
 * <p>
 * {@code LeaderFailoverBenchmark [kill trials] [yield trials] [contender...]}; defaults 5, 20 and all.
 */
public final class LeaderFailoverBenchmark {

    private static final long GRANT_TIMEOUT_SECONDS = 30;

    /** Before each yield, after the previous grant: lets the follower settle and the yielder queue again. */
    static final long YIELD_SETTLE_MILLIS = 100;

    /**
     * Plus a random part of this span, so that a yield lands at a uniformly random point of the new leader's
     * cycle. Spring's initiator reads a yield only when its heartbeat sleep ends, so a fixed pause would hit
     * the same point of that sleep every trial (300 ms fixed: 700 ms left of a 1 s heartbeat, every time, where
     * 500 ms is the mean over the cycle). The span is the longest heartbeat of the rows (a multiple of the
     * 100 ms one), so the phase is uniform for each; ours and Curator's react to the yield whatever the phase.
     */
    static final long YIELD_PHASE_SPAN_MILLIS = LeaderRows.RENEW_EVERY.toMillis();

    /**
     * A seed of its own in every run: with a fixed one, each round of run.sh killed every contender at the same
     * points of its cycle as the round before, so three rounds were three draws of the kill phase, not nine.
     * Printed, so that a run can be repeated ({@code -Dringlock.bench.leader.seed}).
     */
    private final long seed = Long.getLong("ringlock.bench.leader.seed", System.nanoTime());

    private final Random random = new Random(seed);

    private LeaderFailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int yields = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> names = args.length > 2 ? List.of(args).subList(2, args.length) : LeaderContenders.ALL;
        new LeaderFailoverBenchmark().run(kills, yields, names);
        System.exit(0);
    }

    private void run(int kills, int yields, List<String> names) throws Exception {
        System.out.println(">> leader harness seed " + seed);
        Map<String, Trials> killTrials = new LinkedHashMap<>();
        Map<String, Trials> yieldTrials = new LinkedHashMap<>();
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        for (String name : names) {
            killTrials.put(name, new Trials());
            yieldTrials.put(name, new Trials());
            // warm-up, not counted
            yieldBatch(name, 2, new Trials(), settings);
        }
        int rounds = Math.max(kills, 1);
        for (int round = 0; round < rounds; round++) {
            for (String name : names) {
                if (round < kills) {
                    killTrials.get(name).add(killTrial(name, round));
                }
                // the yields spread over the rounds, the last ones topped up to the count asked for
                int left = yields - yieldTrials.get(name).attempts();
                int roundsLeft = rounds - round;
                yieldBatch(name, (left + roundsLeft - 1) / roundsLeft, yieldTrials.get(name), settings);
            }
        }
        double[] ping = RoundTrips.redisPingP50Micros();
        double[] exists = RoundTrips.zooKeeperExistsP50Micros();
        double[] wakeUp = RoundTrips.wakeUpP50Micros();
        double redisYieldChain = RoundTrips.redisYieldChainIdleP50Micros();
        double zooKeeperYieldChain = RoundTrips.zooKeeperYieldChainIdleP50Micros();
        for (String name : names) {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("contender", name);
            out.putAll(settings.getOrDefault(name, Map.of()));
            killTrials.get(name).put(out, "kill");
            yieldTrials.get(name).put(out, "yield");
            boolean zk = LeaderContenders.onZooKeeper(name);
            out.put("roundTrip.what", zk ? "ZooKeeper exists" : "Redis PING");
            double[] roundTrip = zk ? exists : ping;
            out.put("roundTrip.p50Micros", String.format(Locale.ROOT, "%.1f", roundTrip[0]));
            out.put("roundTrip.idleP50Micros", String.format(Locale.ROOT, "%.1f", roundTrip[1]));
            out.put("wakeUp.p50Micros", String.format(Locale.ROOT, "%.1f", wakeUp[0]));
            out.put("wakeUp.idleP50Micros", String.format(Locale.ROOT, "%.1f", wakeUp[1]));
            out.put("yieldChain.client", zk ? "Curator" : "Lettuce");
            out.put("yieldChain.steps", zk ? RoundTrips.ZOOKEEPER_YIELD_CHAIN : RoundTrips.REDIS_YIELD_CHAIN);
            out.put("yieldChain.idleP50Micros",
                    String.format(Locale.ROOT, "%.1f", zk ? zooKeeperYieldChain : redisYieldChain));
            Path file = BenchEnv.outDir().resolve("leader").resolve(name + ".txt");
            Files.createDirectories(file.getParent());
            String text = out.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println(">> " + file + "\n" + text);
        }
    }

    /** The leader in a child process, killed with SIGKILL; this JVM's candidate, already waiting, is timed. */
    private long killTrial(String name, int round) throws Exception {
        String group = "kill-" + name + "-" + System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LeaderCandidateMain.class.getName(), name, group)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (LeaderContender contender = LeaderContenders.create(name)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("LEADING")) {
                // the child's other output
            }
            if (line == null) {
                throw new IllegalStateException(name + ": the leader process ended before it led");
            }
            AtomicLong grantedAt = new AtomicLong();
            CountDownLatch granted = new CountDownLatch(1);
            try (LeaderContender.Candidate candidate = contender.join(group, () -> {
                grantedAt.compareAndSet(0, System.nanoTime());
                granted.countDown();
            })) {
                // let the follower settle, and kill at a random point of the leader's renewal cycle
                Thread.sleep(1_000 + random.nextLong(LeaderRows.RENEW_EVERY.toMillis()));
                if (candidate.isLeader()) {
                    throw new IllegalStateException(name + ": the waiting candidate led before the kill");
                }
                long killedAt = System.nanoTime();
                child.destroyForcibly();
                if (!child.waitFor(10, TimeUnit.SECONDS) || child.isAlive()) {
                    throw new IllegalStateException(name + ": the leader process survived SIGKILL");
                }
                if (!granted.await(GRANT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": no grant " + GRANT_TIMEOUT_SECONDS + " s after the kill");
                }
                long nanos = grantedAt.get() - killedAt;
                System.out.printf(Locale.ROOT, "%s kill %d: %.1f ms (exit %d)%n", name, round, nanos / 1e6,
                        child.exitValue());
                return nanos;
            }
        }
        finally {
            child.destroyForcibly();
        }
    }

    /**
     * Two candidates, each with its own client, in this JVM; the leader yields {@code trials} times. A yield hands
     * over when the other candidate is granted next. When the yielder is granted again first (Spring's initiator
     * re-takes its lock after its busy-wait, and a follower spinning on {@code RedisLockRegistry} may not have
     * looked in between), that yield is counted as not handed over, and the same leader yields again.
     */
    private void yieldBatch(String name, int trials, Trials samples, Map<String, Map<String, String>> settings)
            throws Exception {
        if (trials <= 0) {
            return;
        }
        String group = "yield-" + name + "-" + System.nanoTime();
        try (LeaderContender a = LeaderContenders.create(name); LeaderContender b = LeaderContenders.create(name)) {
            settings.putIfAbsent(name, a.settings());
            Grants grants = new Grants(name);
            try (LeaderContender.Candidate first = a.join(group, () -> grants.granted(0))) {
                grants.next();
                try (LeaderContender.Candidate second = b.join(group, () -> grants.granted(1))) {
                    LeaderContender.Candidate[] candidates = { first, second };
                    int leader = 0;
                    for (int i = 0; i < trials; i++) {
                        Thread.sleep(YIELD_SETTLE_MILLIS + random.nextLong(YIELD_PHASE_SPAN_MILLIS));
                        grants.clear();
                        long yieldedAt = System.nanoTime();
                        candidates[leader].yieldLeadership();
                        Grant grant = grants.next();
                        if (grant.candidate() == leader) {
                            samples.notHandedOver();
                            continue;
                        }
                        samples.add(grant.atNanos() - yieldedAt);
                        leader = grant.candidate();
                    }
                }
            }
        }
    }

    /** One kind of trial of one contender: the samples (nanoseconds) and the yields that did not hand over. */
    private static final class Trials {

        private final List<Long> nanos = new ArrayList<>();
        private int notHandedOver;

        void add(long sample) {
            nanos.add(sample);
        }

        void notHandedOver() {
            notHandedOver++;
        }

        int attempts() {
            return nanos.size() + notHandedOver;
        }

        /** As {@code <what>.trials}, {@code .p50Ms}, …, in milliseconds. */
        void put(Map<String, String> out, String what) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            out.put(what + ".trials", Integer.toString(sorted.length));
            if (what.equals("yield")) {
                out.put(what + ".notHandedOver", Integer.toString(notHandedOver));
            }
            if (sorted.length == 0) {
                return;
            }
            out.put(what + ".p50Ms", millis(Percentiles.of(sorted, 0.50)));
            out.put(what + ".minMs", millis(sorted[0]));
            out.put(what + ".maxMs", millis(sorted[sorted.length - 1]));
            out.put(what + ".samplesMs", Arrays.stream(sorted).mapToObj(Trials::millis).collect(Collectors.joining(",")));
        }

        private static String millis(long nanos) {
            return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
        }
    }

    /** Which candidate of a yield batch was granted, and when. */
    private record Grant(int candidate, long atNanos) {
    }

    /** The grants of a yield batch's two candidates, in the order the libraries announced them. */
    private static final class Grants {

        private final String name;
        private final BlockingQueue<Grant> granted = new LinkedBlockingQueue<>();

        Grants(String name) {
            this.name = name;
        }

        void granted(int candidate) {
            granted.add(new Grant(candidate, System.nanoTime()));
        }

        /** Forgets grants announced before the next yield. */
        void clear() {
            granted.clear();
        }

        Grant next() throws InterruptedException {
            Grant grant = granted.poll(GRANT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (grant == null) {
                throw new IllegalStateException(name + ": no grant within " + GRANT_TIMEOUT_SECONDS + " s");
            }
            return grant;
        }
    }
}
